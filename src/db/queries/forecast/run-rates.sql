-- The cost now (the run-rate) per scope: the fleet and every plan from the base tables, every tenant
-- from cost_attribution_by_tenant (as the executive views). A VPS's plan is the rid its source
-- names, else (an override) the rid of its latest history row that names one: as cost_plans_as_of.
WITH vps AS (
    SELECT v.id, v.approximate_cost AS cost,
           COALESCE(substring(v.approximate_cost_source FROM '^get_price_list rid (\S+) '),
                    (SELECT substring(h.source FROM '^get_price_list rid (\S+) ')
                       FROM cost_history h
                      WHERE h.resource_kind = 'vps' AND h.resource_id = v.id AND h.source LIKE 'get_price_list rid %'
                      ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)) AS plan_rid
      FROM vps_instances v
     WHERE v.approximate_cost > 0 AND v.approximate_cost <> 'NaN'
),
ips AS (
    SELECT i.vps_instance_id AS vps_id, i.approximate_cost AS cost
      FROM smtp_ip_addresses i WHERE i.approximate_cost > 0 AND i.approximate_cost <> 'NaN'
)
SELECT 'fleet' AS scope, '' AS "scopeId",
       ((SELECT COALESCE(sum(cost), 0) FROM vps) + (SELECT COALESCE(sum(cost), 0) FROM ips))::text AS total
UNION ALL
SELECT 'tenant', tenant_id::text, (vps_cost + ip_cost)::text FROM cost_attribution_by_tenant WHERE tenant_id IS NOT NULL
UNION ALL
SELECT 'plan', COALESCE(p.plan_rid, ''), sum(p.cost)::text
  FROM (SELECT plan_rid, cost FROM vps
        UNION ALL
        SELECT v.plan_rid, i.cost FROM ips i JOIN vps v ON v.id = i.vps_id) p
 GROUP BY p.plan_rid
