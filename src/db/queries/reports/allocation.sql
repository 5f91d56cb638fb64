-- `report allocation`: the cost allocation per tenant, every figure as exact text.
SELECT tenant_id::text,
       company_name::text,
       plan_name::text,
       total_infrastructure_cost::text,
       total_email_service_cost::text,
       total_monthly_cost::text,
       payments_received::text,
       monthly_profit::text,
       emails_sent_30d::text,
       cost_per_email_delivered::text,
       business_efficiency_ratio::text
  FROM business_cost_allocation
 ORDER BY total_monthly_cost DESC, tenant_id
