-- One tenant for its page: its one display name (view tenant_display_names: its first company, else
-- its own name), today's figures from executive_business_summary (NULL without an active subscription),
-- and when the attribution was computed. No row when no tenant of that id exists and none ever had a
-- cost or a closed month.
WITH k AS (SELECT :tenantId::uuid AS id)
SELECT k.id::text AS "tenantId",
       COALESCE(n.display_name, '')::text AS name,
       s.monthly_subscription_revenue::numeric(14,2)::text AS revenue,
       s.total_operational_cost::numeric(14,2)::text AS cost,
       s.monthly_margin::numeric(14,2)::text AS profit,
       s.gross_margin_percent::text AS "marginPercent",
       s.business_health_status AS health,
       (SELECT max(refreshed_at) FROM cost_attribution_by_tenant) AS "attributionRefreshedAt",
       now() AS "generatedAt"
  FROM k
  LEFT JOIN tenant_display_names n ON n.tenant_id = k.id
  LEFT JOIN executive_business_summary s ON s.tenant_id = k.id
 WHERE n.tenant_id IS NOT NULL
    OR s.tenant_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM cost_month_close_tenants m WHERE m.tenant_id = k.id)
