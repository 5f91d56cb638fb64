-- Recomputes one month's month-end figures (cost as of its last instant: migration
-- 20261207200000) per tenant, per plan and for the fleet, replacing what the cache held. The
-- newest history id is read first: a change committed meanwhile makes the month stale again.
WITH seen AS (SELECT COALESCE(max(id), 0) AS id FROM cost_history),
gone AS (DELETE FROM cost_month_end_figures WHERE month = :month::date RETURNING 1),
tenants AS (SELECT * FROM cost_attribution_as_of(cost_month_last_instant(:month::date))),
plans AS (SELECT * FROM cost_plans_as_of(cost_month_last_instant(:month::date))),
fresh AS (
    SELECT 'tenant' AS scope, tenant_id::text AS scope_id, vps_cost, ip_cost, NULL::numeric AS unallocated
      FROM tenants WHERE tenant_id IS NOT NULL
    UNION ALL
    SELECT 'fleet', '', COALESCE(sum(vps_cost), 0), COALESCE(sum(ip_cost), 0),
           COALESCE(sum(vps_cost + ip_cost) FILTER (WHERE tenant_id IS NULL), 0)
      FROM tenants
    UNION ALL
    SELECT 'plan', COALESCE(plan_rid, ''), vps_cost, ip_cost, NULL FROM plans
)
INSERT INTO cost_month_end_figures (month, scope, scope_id, vps_cost, ip_cost, unallocated, history_id)
SELECT :month::date, f.scope, f.scope_id, f.vps_cost, f.ip_cost, f.unallocated, seen.id
  FROM fresh f, seen, (SELECT count(*) FROM gone) AS after_delete
