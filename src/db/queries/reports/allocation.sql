-- `report allocation`: the cost allocation per tenant with an active subscription, then the fleet's
-- own rows (executive_fleet_summary: unsubscribed, unallocated, untracked, and the fleet total).
-- The rows before `fleet` add up to it. Every figure as exact text; row_kind tells the rows apart.
SELECT row_kind, tenant_id, company_name, plan_name, total_infrastructure_cost, total_email_service_cost,
       untracked_cost, total_monthly_cost, payments_received, payment_margin, monthly_margin, emails_sent_30d,
       cost_per_email_delivered, business_efficiency_ratio
  FROM (
        SELECT 'tenant'::text AS row_kind,
               tenant_id::text,
               company_name::text,
               plan_name::text,
               total_infrastructure_cost::text,
               total_email_service_cost::text,
               NULL::text AS untracked_cost,
               total_monthly_cost::text,
               payments_received::text,
               payment_margin::text,
               monthly_margin::text,
               emails_sent_30d::text,
               cost_per_email_delivered::text,
               business_efficiency_ratio::text,
               0 AS part, total_monthly_cost AS cost
          FROM business_cost_allocation
        UNION ALL
        -- the fleet view's `tenant` row is the sum of the rows above: not repeated
        SELECT row_kind, NULL, NULL, NULL,
               infrastructure_costs::text,
               email_service_costs::text,
               untracked_cost::text,
               total_operational_cost::text,
               payments_received::text,
               payment_margin::text,
               monthly_margin::text,
               NULL, NULL, NULL,
               row_position, NULL
          FROM executive_fleet_summary
         WHERE row_kind <> 'tenant'
       ) r
 ORDER BY part, cost DESC, tenant_id
