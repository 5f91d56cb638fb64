-- VPS that may save on a longer billing cycle (docs/savings.md, "billing_cycle"): running, priced
-- above 0 by Hostwinds (no override: a contract price says nothing about cycles), with their
-- cycle and plan group as the latest completed reconciliation read them. Own price: a VPS in no
-- group, in a group priced per instance (catalogue mismatch, plan not learned), or in no group the
-- run recorded. The plan of a catalogue group holds every cycle's price: no Hostwinds call; each
-- (group, cycle) is judged once (savings/cycle-groups.sql), and only the VPS of the catalogue pairs
-- that save (:savingGroups, :savingCycles) are read here, with every own-price VPS. Idle VPS
-- (:idle) are left out: an idle VPS is cut, not switched.
WITH run AS (
    SELECT r.id FROM cost_reconciliation_runs r
     WHERE r.status = 'completed' AND EXISTS (SELECT 1 FROM cost_reconciliation_cycles c WHERE c.run_id = r.id)
     ORDER BY r.finished_at DESC NULLS LAST, r.started_at DESC
     LIMIT 1
)
SELECT v.id::text AS "vpsId", c.serviceid::text AS "serviceId", v.tenant_id::text AS "tenantId",
       v.approximate_cost::text AS "monthlyCost", c.billing_cycle AS cycle, run.id::text AS "runId",
       (g.mode = 'catalogue' AND g.plan IS NOT NULL) AS catalogue, c.group_key AS "groupKey",
       COALESCE(g.reason, CASE WHEN c.group_key IS NULL THEN 'no plan group' ELSE 'group not planned' END) AS "ownPriceReason"
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
   AND (NOT COALESCE(g.mode = 'catalogue' AND g.plan IS NOT NULL, false)
        OR (c.group_key, c.billing_cycle) IN (SELECT * FROM unnest(:savingGroups::text[], :savingCycles::text[])))
