-- The staged opportunities' statistics, for the recording statement's plan (a temporary table has none):
-- the columns it joins and filters on only (the evidence's statistics cost more than the recording).
ANALYZE savings_found (id, kind, vps_id, ip_id)
