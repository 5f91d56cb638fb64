-- Costs the attribution leaves out: NaN (the constraints reject it, but a row may slip through a
-- dropped constraint or a restore). Counted, with the first 20 ids, for the refresh's log and output.
-- NaN sorts above every number, so the approximate_cost indexes find these rows without a scan.
SELECT 'vps' AS kind, count(*)::int AS n, COALESCE((array_agg(id::text ORDER BY id))[1:20], '{}') AS ids
  FROM vps_instances WHERE approximate_cost = 'NaN'::numeric
UNION ALL
SELECT 'ip', count(*)::int, COALESCE((array_agg(id::text ORDER BY id))[1:20], '{}')
  FROM smtp_ip_addresses WHERE approximate_cost = 'NaN'::numeric
