-- The cost now (the run-rate) per scope: the fleet and every plan from the base tables, every tenant
-- from cost_attribution_by_tenant (as the executive views). A VPS's plan is the rid its source
-- names, else (an override) the rid of its latest history row that names one: as cost_plans_as_of.
-- That history is read for the VPS whose source names no rid only, in one join (a lookup per VPS
-- was planned at a cost that made PostgreSQL JIT-compile the statement).
WITH priced AS (
    SELECT v.id, v.approximate_cost AS cost,
           substring(v.approximate_cost_source FROM '^get_price_list rid (\S+) ') AS own_rid
      FROM vps_instances v
     WHERE v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'
),
history_rid AS (
    SELECT DISTINCT ON (h.resource_id) h.resource_id, substring(h.source FROM '^get_price_list rid (\S+) ') AS rid
      FROM priced p
      JOIN cost_history h ON h.resource_kind = 'vps' AND h.resource_id = p.id
     WHERE p.own_rid IS NULL AND h.source LIKE 'get_price_list rid %'
     ORDER BY h.resource_id, h.changed_at DESC, h.id DESC
),
vps AS (
    SELECT p.id, p.cost, COALESCE(p.own_rid, r.rid) AS plan_rid
      FROM priced p LEFT JOIN history_rid r ON r.resource_id = p.id
),
ip_sums AS (
    -- each VPS's IP cost (vps_id NULL: IPs on no VPS), summed before it meets its VPS's plan
    SELECT i.vps_instance_id AS vps_id, sum(i.approximate_cost) AS cost
      FROM smtp_ip_addresses i WHERE i.approximate_cost > 0 AND i.approximate_cost <> 'NaN'
     GROUP BY i.vps_instance_id
)
SELECT 'fleet' AS scope, '' AS "scopeId",
       ((SELECT COALESCE(sum(cost), 0) FROM vps) + (SELECT COALESCE(sum(cost), 0) FROM ip_sums))::text AS total
UNION ALL
SELECT 'tenant', tenant_id::text, (vps_cost + ip_cost)::text FROM cost_attribution_by_tenant WHERE tenant_id IS NOT NULL
UNION ALL
SELECT 'plan', COALESCE(v.plan_rid, ''), sum(v.cost + COALESCE(s.cost, 0))::text
  FROM vps v LEFT JOIN ip_sums s ON s.vps_id = v.id
 GROUP BY v.plan_rid
