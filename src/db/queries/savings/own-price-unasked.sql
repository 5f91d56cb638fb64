-- The own-price VPS of the latest reconciliation with cycles that get_billingcycle_prices has not been
-- asked about yet for it (docs/savings.md, "Where the cycle prices come from"): asked before the refresh
-- records, outside its transaction. The same VPS savings/cycle-candidates.sql reads as own-price, idle
-- ones left out (an idle VPS is cut, not switched). The VPS and the idle VPS are only read when some
-- own-price cycle is unasked (the NOT IN's set is built on the first row that reaches it): usually none is.
WITH /* @include savings-idle */,
run AS (
    SELECT r.id FROM cost_reconciliation_runs r
     WHERE r.status = 'completed' AND EXISTS (SELECT 1 FROM cost_reconciliation_cycles c WHERE c.run_id = r.id)
     ORDER BY r.finished_at DESC NULLS LAST, r.started_at DESC
     LIMIT 1
),
own AS MATERIALIZED (
    -- the run's own-price cycles not asked about, read first: usually none, and then no VPS is read
    SELECT c.serviceid, run.id AS run_id
      FROM run
      JOIN cost_reconciliation_cycles c ON c.run_id = run.id
      LEFT JOIN cost_reconciliation_groups g ON g.run_id = run.id AND g.group_key = c.group_key
     WHERE NOT COALESCE(g.mode = 'catalogue' AND g.plan IS NOT NULL, false)
       AND NOT EXISTS (SELECT 1 FROM cost_savings_cycle_answers a WHERE a.run_id = run.id AND a.serviceid = c.serviceid)
),
unasked AS MATERIALIZED (
    SELECT v.id AS vps_id, o.serviceid, o.run_id
      FROM own o
      JOIN vps_instances v
        ON btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,15}$'
       AND btrim(v.hostwinds_instance_id)::bigint = o.serviceid
     WHERE v.status IN ('active', 'provisioning')
       AND v.approximate_cost_override IS NULL
       AND v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'::numeric
       -- checked once, first: with no own-price cycle unasked, the VPS are not read (not even sorted for a join)
       AND EXISTS (SELECT 1 FROM own)
)
SELECT u.serviceid::text AS "serviceId", u.run_id::text AS "runId"
  FROM unasked u
 WHERE u.vps_id NOT IN (SELECT id FROM idle_vps_ids)
