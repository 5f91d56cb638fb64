-- The VPS that may save on a longer billing cycle (savings/cycle-candidates.sql), counted per plan
-- group and cycle, without the idle VPS (:idle: an idle VPS is cut, not switched). A catalogue
-- group's outcome depends on its plan and the cycle only: the refresh judges each (group, cycle)
-- once from the plan given here, and then reads the VPS of the pairs that save only.
WITH run AS (
    SELECT r.id FROM cost_reconciliation_runs r
     WHERE r.status = 'completed' AND EXISTS (SELECT 1 FROM cost_reconciliation_cycles c WHERE c.run_id = r.id)
     ORDER BY r.finished_at DESC NULLS LAST, r.started_at DESC
     LIMIT 1
)
SELECT run.id::text AS "runId", c.group_key AS "groupKey", c.billing_cycle AS cycle,
       COALESCE(g.mode = 'catalogue' AND g.plan IS NOT NULL, false) AS catalogue,
       CASE WHEN g.mode = 'catalogue' THEN g.plan END AS plan, count(*)::int AS vps
  FROM run
  JOIN cost_reconciliation_cycles c ON c.run_id = run.id
  JOIN vps_instances v
    ON btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,15}$'
   AND btrim(v.hostwinds_instance_id)::bigint = c.serviceid
  LEFT JOIN cost_reconciliation_groups g ON g.run_id = run.id AND g.group_key = c.group_key
 WHERE v.status IN ('active', 'provisioning')
   AND v.approximate_cost_override IS NULL
   AND v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'::numeric
   AND v.id <> ALL (:idle::uuid[])
 GROUP BY run.id, c.group_key, c.billing_cycle, g.mode, g.plan
