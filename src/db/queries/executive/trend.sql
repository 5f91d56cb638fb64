-- The fleet's closed months from executive_monthly_trend, oldest first; run only once the view exists.
-- What this expects of the view (issue 14: "per tenant and for the fleet: month, cost, revenue, margin";
-- docs/executive.md, "Trend"): fleet rows with tenant_id NULL; month a date, a timestamp or 'YYYY-MM'
-- text (its first 7 characters are the month); revenue and cost numeric. The margin is recomputed
-- here from them, so the page does not depend on how the view rounds or names it.
SELECT left(month::text, 7) AS month,
       revenue::numeric(14,2)::text AS revenue,
       cost::numeric(14,2)::text AS cost,
       (CASE WHEN revenue > 0 THEN round((revenue - cost) / revenue * 100, 2) END)::numeric(14,2)::text AS "marginPercent"
  FROM executive_monthly_trend
 WHERE tenant_id IS NULL
 ORDER BY month
