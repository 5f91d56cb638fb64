-- `report executive`: one row per tenant with an active subscription, then the fleet's own rows
-- (executive_fleet_summary: unsubscribed, unallocated, untracked, and the fleet total). The rows
-- before `fleet` add up to it. Every figure as exact text; row_kind tells the rows apart.
SELECT row_kind, tenant_id, company_name, plan_name, monthly_subscription_revenue, infrastructure_costs,
       email_service_costs, untracked_cost, total_operational_cost, monthly_margin, payment_margin,
       gross_margin_ratio, gross_margin_percent, cost_efficiency_score, business_health_status
  FROM (
        SELECT 'tenant'::text AS row_kind,
               tenant_id::text,
               company_name::text,
               plan_name::text,
               monthly_subscription_revenue::text,
               infrastructure_costs::text,
               email_service_costs::text,
               NULL::text AS untracked_cost,
               total_operational_cost::text,
               monthly_margin::text,
               payment_margin::text,
               gross_margin_ratio::text,
               gross_margin_percent::text,
               cost_efficiency_score::text,
               business_health_status::text,
               0 AS part, cost_efficiency_score AS score
          FROM executive_business_summary
        UNION ALL
        -- the fleet view's `tenant` row is the sum of the rows above: not repeated
        SELECT row_kind, NULL, NULL, NULL,
               monthly_subscription_revenue::text,
               infrastructure_costs::text,
               email_service_costs::text,
               untracked_cost::text,
               total_operational_cost::text,
               monthly_margin::text,
               payment_margin::text,
               NULL, gross_margin_percent::text, NULL, NULL,
               row_position, NULL
          FROM executive_fleet_summary
         WHERE row_kind <> 'tenant'
       ) r
 ORDER BY part, score DESC, tenant_id
