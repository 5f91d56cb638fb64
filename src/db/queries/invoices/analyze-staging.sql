-- Temporary tables are never analysed by autovacuum: without statistics the matching's joins are
-- planned for a handful of rows.
ANALYZE invoice_staging
