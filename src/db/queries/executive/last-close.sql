-- The fleet at the last closed month (the close in force with the latest month), counted as the page
-- counts today: modelled cost = attributed + unallocated (the close's total_cost), margin against it,
-- untracked spend beside it, never in it (docs/executive.md, "One meaning of modelled cost"). tenants:
-- the close's tenant rows with revenue, which are its tenants with an active subscription (a close
-- also freezes tenants with cost and no subscription, at revenue 0).
SELECT to_char(c.month, 'YYYY-MM') AS month,
       c.closed_at AS "closedAt",
       c.revenue::text AS revenue,
       c.total_cost::text AS "totalCost",
       c.margin_percent::text AS "marginPercent",
       (SELECT count(*) FROM cost_month_close_tenants t WHERE t.close_id = c.id AND t.revenue > 0)::int AS tenants,
       c.untracked_monthly_cost::text AS "untrackedCost"
  FROM cost_month_closes c
 WHERE c.reopened_at IS NULL
 ORDER BY c.month DESC
 LIMIT 1
