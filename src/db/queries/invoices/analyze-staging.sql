-- Temporary tables are never analysed by autovacuum: without statistics the matching's joins are
-- planned for a handful of rows. Only the columns the matching joins and groups on: the others
-- (descriptions, the per-month arrays) cost most of the sampling and steer no plan.
ANALYZE invoice_staging (invoice_number, run, run_line, kind, service_id, ip, hostname)
