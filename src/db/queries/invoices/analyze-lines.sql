-- After the merge, invoice_lines' statistics are those of before the import (autovacuum analyses
-- it after the commit at the earliest): a first import of 1M lines is planned as if the table held
-- a couple of thousand, and the recomputations after the merge read it. Only the columns they
-- filter, join and group on. ANALYZE takes no lock that keeps readers or writers out (SHARE UPDATE
-- EXCLUSIVE, until the commit), and its statistics roll back with a dry run.
ANALYZE invoice_lines (first_month, matched, kind, vps_id)
