-- As analyze-staging.sql, for the touched months every recomputation joins (a handful of rows
-- the planner otherwise takes for thousands).
ANALYZE invoice_touched_months
