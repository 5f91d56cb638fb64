-- The fleet at the last closed month (the close in force with the latest month), counted as the page
-- counts today: the fleet row of executive_fleet_summary has untracked spend in its cost and margin, the
-- close keeps it beside its total_cost, so it is added back here (docs/executive.md, "Changes since the
-- last close"). tenants: the close's tenant rows with revenue, which are its tenants with an active
-- subscription (a close also freezes tenants with cost and no subscription, at revenue 0).
SELECT to_char(c.month, 'YYYY-MM') AS month,
       c.closed_at AS "closedAt",
       c.revenue::text AS revenue,
       (c.total_cost + COALESCE(c.untracked_monthly_cost, 0))::numeric(14,2)::text AS "totalCost",
       (CASE WHEN c.revenue > 0
             THEN round((c.revenue - c.total_cost - COALESCE(c.untracked_monthly_cost, 0)) / c.revenue * 100, 2)
        END)::numeric(14,2)::text AS "marginPercent",
       (SELECT count(*) FROM cost_month_close_tenants t WHERE t.close_id = c.id AND t.revenue > 0)::int AS tenants,
       c.untracked_monthly_cost::text AS "untrackedCost"
  FROM cost_month_closes c
 WHERE c.reopened_at IS NULL
 ORDER BY c.month DESC
 LIMIT 1
