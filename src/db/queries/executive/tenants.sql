-- Every tenant with an active subscription, as the executive page draws them (it orders them itself and
-- counts all of them by health). profit is monthly_margin: revenue - cost. close* are the tenant's
-- figures in the last closed month (NULL when it was not in that close, or no month is closed): the base
-- of its change since then. Read from the close's own rows: one primary-key lookup per tenant.
WITH last_close AS (
    SELECT id FROM cost_month_closes WHERE reopened_at IS NULL ORDER BY month DESC LIMIT 1
)
SELECT s.tenant_id::text AS "tenantId",
       COALESCE(s.company_name, '')::text AS "companyName",
       s.monthly_subscription_revenue::numeric(14,2)::text AS revenue,
       s.total_operational_cost::numeric(14,2)::text AS cost,
       s.monthly_margin::numeric(14,2)::text AS profit,
       s.gross_margin_percent::text AS "marginPercent",
       s.business_health_status AS health,
       c.revenue::text AS "closeRevenue",
       c.total_cost::text AS "closeCost",
       c.margin_percent::text AS "closeMarginPercent",
       c.health AS "closeHealth"
  FROM executive_business_summary s
  LEFT JOIN cost_month_close_tenants c ON c.close_id = (SELECT id FROM last_close) AND c.tenant_id = s.tenant_id
 ORDER BY s.total_operational_cost DESC, s.tenant_id
