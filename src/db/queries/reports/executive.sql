-- `report executive`: the executive summary, every figure as exact text.
SELECT tenant_id::text,
       company_name::text,
       plan_name::text,
       monthly_subscription_revenue::text,
       infrastructure_costs::text,
       email_service_costs::text,
       total_operational_cost::text,
       monthly_profit::text,
       gross_margin_ratio::text,
       gross_margin_percent::text,
       cost_efficiency_score::text,
       business_health_status::text
  FROM executive_business_summary
 ORDER BY cost_efficiency_score DESC, tenant_id
