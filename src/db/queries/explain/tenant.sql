-- A tenant: its name if the tenants table has it, and its row in tenant_cost_attribution.
SELECT k.id::text,
       t.name,
       a.vps_cost::text AS "vpsCost",
       a.ip_cost::text AS "ipCost",
       a.total_cost::text AS "totalCost",
       a.refreshed_at AS "refreshedAt"
  FROM (SELECT :tenantId::uuid AS id) k
  LEFT JOIN tenants t ON t.id = k.id
  LEFT JOIN tenant_cost_attribution a ON a.tenant_id = k.id
 WHERE t.id IS NOT NULL OR a.tenant_id IS NOT NULL
