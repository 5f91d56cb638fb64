-- The largest open opportunities of the latest refresh (the executive page's "savings available" and
-- the digest's top savings), with the tenant's one display name (tenant_display_names) where there is one.
SELECT o.id, o.kind, o.serviceid AS "serviceId", o.ip, o.tenant_id::text AS "tenantId",
       CASE WHEN o.tenant_id IS NULL THEN NULL ELSE COALESCE(n.display_name, o.tenant_id::text) END AS "tenantName",
       o.monthly_saving::text AS "monthlySaving", o.method, o.first_seen AS "firstSeen"
  FROM cost_savings_opportunities o
  LEFT JOIN tenant_display_names n ON n.tenant_id = o.tenant_id
 WHERE o.state = 'open' AND o.current AND o.monthly_saving IS NOT NULL
 ORDER BY o.monthly_saving DESC, o.id
 LIMIT :n
