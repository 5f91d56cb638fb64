-- The VPS a run could not price: the first :limit, and how many in all.
SELECT vps_id::text AS "vpsId", serviceid, reason, count(*) OVER ()::int AS total
  FROM cost_reconciliation_unpriced
 WHERE run_id = :runId::uuid
 ORDER BY vps_id
 LIMIT :limit
