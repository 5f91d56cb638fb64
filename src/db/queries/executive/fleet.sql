-- The executive page's fleet figures, from executive_fleet_summary's rows pivoted into one: every
-- amount exact text. attributed = the tenant and unsubscribed rows (cost some tenant bears); totalCost
-- is the modelled cost, attributed + unallocated = VPS + IP (what a close freezes), and the margin is
-- taken against it. Untracked spend is beside it, never in it, and stays NULL while no reconciliation
-- has checked the account (not known, not 0).
SELECT max(monthly_subscription_revenue::text) FILTER (WHERE row_kind = 'fleet') AS revenue,
       sum(total_operational_cost) FILTER (WHERE row_kind IN ('tenant', 'unsubscribed'))::numeric(14,2)::text AS "attributedCost",
       max(total_operational_cost::text) FILTER (WHERE row_kind = 'unallocated') AS "unallocatedCost",
       max(untracked_cost::text) FILTER (WHERE row_kind = 'untracked') AS "untrackedCost",
       max(total_operational_cost::text) FILTER (WHERE row_kind = 'fleet') AS "totalCost",
       max(infrastructure_costs::text) FILTER (WHERE row_kind = 'fleet') AS "vpsCost",
       max(email_service_costs::text) FILTER (WHERE row_kind = 'fleet') AS "ipCost",
       max(gross_margin_percent::text) FILTER (WHERE row_kind = 'fleet') AS "marginPercent"
  FROM executive_fleet_summary
