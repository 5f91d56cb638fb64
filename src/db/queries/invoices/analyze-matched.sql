-- As analyze-staging.sql, for the matched lines the corrections and the merge join (on the columns
-- they join and filter on).
ANALYZE invoice_matched (invoice_number, line_no, matched, vps_id)
