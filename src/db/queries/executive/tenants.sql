-- Every tenant with an active subscription, as the executive page draws them (it picks the most
-- costly itself and counts all of them by health). profit is monthly_margin: revenue - cost.
SELECT tenant_id::text AS "tenantId",
       COALESCE(company_name, '')::text AS "companyName",
       monthly_subscription_revenue::numeric(14,2)::text AS revenue,
       total_operational_cost::numeric(14,2)::text AS cost,
       monthly_margin::numeric(14,2)::text AS profit,
       gross_margin_percent::text AS "marginPercent",
       business_health_status AS health
  FROM executive_business_summary
 ORDER BY total_operational_cost DESC, tenant_id
