-- The fleet's closed months from executive_monthly_trend, oldest first. What this expects of the
-- view (docs/executive.md, "Trend"): one row per closed month and tenant, and fleet rows with
-- tenant_id NULL; month a date (first day of the month); monthly_subscription_revenue,
-- total_operational_cost and gross_margin_percent numeric. Only run when the view exists.
SELECT to_char(month, 'YYYY-MM') AS month,
       monthly_subscription_revenue::numeric(14,2)::text AS revenue,
       total_operational_cost::numeric(14,2)::text AS cost,
       gross_margin_percent::numeric(14,2)::text AS "marginPercent"
  FROM executive_monthly_trend
 WHERE tenant_id IS NULL
 ORDER BY month
