SELECT COALESCE(t.name, '(unallocated)') AS tenant, a.vps_cost::text, a.ip_cost::text, a.total_cost::text
  FROM tenant_cost_attribution a LEFT JOIN tenants t ON t.id = a.tenant_id ORDER BY tenant
