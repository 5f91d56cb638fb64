-- The cost now (the run-rate) per scope: the fleet and every plan from the base tables, every tenant
-- from cost_attribution_by_tenant (as the executive views). A VPS's plan is the rid its source
-- names, else (an override) the rid of its latest history row that names one: as cost_plans_as_of.
-- That history is read for the VPS whose source names no rid only, in one join (a lookup per VPS
-- was planned at a cost that made PostgreSQL JIT-compile the statement).
-- Speed at 100k VPS (docs/forecast.md, "Speed"): the rid of each distinct source (a handful) is worked
-- out once, not once per VPS (the regular expression costs microseconds a call); the VPS and the IPs
-- are each read once, summed per plan in one aggregate of a few rows (a per-VPS CTE read twice was
-- written to disk, and so was a per-VPS sum of the IPs).
WITH rids AS (
    SELECT s.source, substring(s.source FROM '^get_price_list rid (\S+) ') AS rid
      FROM (SELECT DISTINCT approximate_cost_source AS source FROM vps_instances) s
),
history_rid AS (
    SELECT DISTINCT ON (h.resource_id) h.resource_id, substring(h.source FROM '^get_price_list rid (\S+) ') AS rid
      FROM vps_instances v
      LEFT JOIN rids r ON r.source = v.approximate_cost_source
      JOIN cost_history h ON h.resource_kind = 'vps' AND h.resource_id = v.id
     WHERE v.approximate_cost > 0 AND v.approximate_cost <> 'NaN' AND r.rid IS NULL
       AND h.source LIKE 'get_price_list rid %'
     ORDER BY h.resource_id, h.changed_at DESC, h.id DESC
),
vps AS NOT MATERIALIZED (
    SELECT v.id, v.approximate_cost AS cost, COALESCE(r.rid, hr.rid) AS plan_rid
      FROM vps_instances v
      LEFT JOIN rids r ON r.source = v.approximate_cost_source
      LEFT JOIN history_rid hr ON hr.resource_id = v.id
     WHERE v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'
),
sums AS (
    SELECT kind, plan_rid, on_priced, sum(cost) AS cost
      FROM (SELECT 'vps' AS kind, v.plan_rid, true AS on_priced, v.cost FROM vps v
            UNION ALL
            SELECT 'ip', v.plan_rid, v.id IS NOT NULL, i.approximate_cost
              FROM smtp_ip_addresses i LEFT JOIN vps v ON v.id = i.vps_instance_id
             WHERE i.approximate_cost > 0 AND i.approximate_cost <> 'NaN') x
     GROUP BY kind, plan_rid, on_priced
)
SELECT 'fleet' AS scope, '' AS "scopeId",
       ((SELECT COALESCE(sum(cost), 0) FROM sums WHERE kind = 'vps') + (SELECT COALESCE(sum(cost), 0) FROM sums WHERE kind = 'ip'))::text AS total
UNION ALL
SELECT 'tenant', tenant_id::text, (vps_cost + ip_cost)::text FROM cost_attribution_by_tenant WHERE tenant_id IS NOT NULL
UNION ALL
SELECT 'plan', COALESCE(plan_rid, ''), sum(cost)::text FROM sums WHERE on_priced GROUP BY plan_rid
