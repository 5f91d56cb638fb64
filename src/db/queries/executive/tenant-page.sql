-- One tenant for its page: its name by the one rule of the executive views (its first company by
-- creation then id, else the tenant's own name: tenant_business_snapshot's company_name), today's figures
-- from executive_business_summary (NULL without an active subscription), and when the attribution was
-- computed. No row when no tenant of that id exists and none ever had a cost or a closed month.
WITH k AS (SELECT :tenantId::uuid AS id),
company AS (
    SELECT c.name FROM companies c, k WHERE c.tenant_id = k.id ORDER BY c.created NULLS LAST, c.id LIMIT 1
)
SELECT k.id::text AS "tenantId",
       COALESCE((SELECT name FROM company), t.name, '')::text AS name,
       s.monthly_subscription_revenue::numeric(14,2)::text AS revenue,
       s.total_operational_cost::numeric(14,2)::text AS cost,
       s.monthly_margin::numeric(14,2)::text AS profit,
       s.gross_margin_percent::text AS "marginPercent",
       s.business_health_status AS health,
       (SELECT max(refreshed_at) FROM cost_attribution_by_tenant) AS "attributionRefreshedAt",
       now() AS "generatedAt"
  FROM k
  LEFT JOIN tenants t ON t.id = k.id
  LEFT JOIN executive_business_summary s ON s.tenant_id = k.id
 WHERE t.id IS NOT NULL
    OR s.tenant_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM cost_month_close_tenants m WHERE m.tenant_id = k.id)
