-- Untracked instances of a run, the costliest first (an unpriced one before them all): the first
-- :limit, and how many in all.
SELECT serviceid, hostname, main_ip AS "mainIp", plan, status, monthly_cost::text AS "monthlyCost",
       unpriced_reason AS "unpricedReason", count(*) OVER ()::int AS total
  FROM cost_untracked_instances
 WHERE run_id = :runId::uuid
 ORDER BY monthly_cost DESC NULLS FIRST, length(serviceid), serviceid
 LIMIT :limit
