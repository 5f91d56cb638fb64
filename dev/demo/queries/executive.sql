SELECT company_name, plan_name, monthly_subscription_revenue::text AS revenue, infrastructure_costs::text AS vps,
       email_service_costs::text AS ips, total_operational_cost::text AS cost, monthly_profit::text AS profit,
       gross_margin_percent::text AS margin_pct, business_health_status AS health
  FROM executive_business_summary ORDER BY company_name
