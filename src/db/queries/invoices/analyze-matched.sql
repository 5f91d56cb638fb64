-- As analyze-staging.sql, for the matched lines the corrections and the merge join.
ANALYZE invoice_matched
