-- Business figures for the business alerts and the money gauges: fleet-level counts and sums, never a
-- tenant id. NULL where there is nothing to say (no close to compare with, no invoice imported).
--   fallen*: tenants whose business health is now Monitor (or Critical Action Required) and was
--            better at the latest close in force (a tenant absent from that close has not fallen);
--   negativeMarginTenants: tenants whose monthly subscription revenue is below their modelled cost;
--   the fleet row of executive_fleet_summary: modelled cost (attributed + unallocated, untracked spend not in it), revenue, margin;
--   the latest imported invoice month: what was invoiced and the accuracy of the model against it;
--   the latest month closed (in force), and whether the month before the current UTC month is closed;
--   the fleet's month-end forecast (p50) for the current UTC month as last stored (cost_forecasts, written by the
--   worker's periodic refresh: a scrape never runs a forecast); NULL when none is stored for this month.
WITH last_close AS (
    SELECT id, month FROM cost_month_closes WHERE reopened_at IS NULL ORDER BY month DESC LIMIT 1
), ranked AS (
    SELECT CASE s.business_health_status WHEN 'Excellent' THEN 0 WHEN 'Good' THEN 1 WHEN 'Monitor' THEN 2 ELSE 3 END AS now_rank,
           CASE p.health WHEN 'Excellent' THEN 0 WHEN 'Good' THEN 1 WHEN 'Monitor' THEN 2 ELSE 3 END AS then_rank
      FROM tenant_business_snapshot s
      JOIN cost_month_close_tenants p ON p.close_id = (SELECT id FROM last_close) AND p.tenant_id = s.tenant_id
), invoice AS (
    SELECT month, accuracy, total_invoiced_usd FROM invoice_monthly_accuracy ORDER BY month DESC LIMIT 1
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM last_close)
            THEN (SELECT count(*) FROM ranked WHERE now_rank = 2 AND then_rank < 2) END::int AS "fallenToMonitor",
       CASE WHEN EXISTS (SELECT 1 FROM last_close)
            THEN (SELECT count(*) FROM ranked WHERE now_rank = 3 AND then_rank < 3) END::int AS "fallenToCritical",
       (SELECT count(*) FROM tenant_business_snapshot WHERE monthly_profit < 0)::int AS "negativeMarginTenants",
       f.total_operational_cost::text AS "fleetModelledCostUsd",
       f.monthly_subscription_revenue::text AS "fleetRevenueUsd",
       f.monthly_margin::text AS "fleetMarginUsd",
       i.month::text AS "invoiceMonth",
       i.accuracy::text AS "invoiceAccuracy",
       i.total_invoiced_usd::text AS "invoicedUsd",
       (SELECT month FROM last_close)::text AS "lastClosedMonth",
       EXISTS (SELECT 1 FROM cost_month_closes
                WHERE reopened_at IS NULL
                  AND month = (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date) AS "previousMonthClosed",
       (SELECT p50 FROM cost_forecasts
         WHERE scope = 'fleet' AND scope_id = ''
           AND month = date_trunc('month', now() AT TIME ZONE 'UTC')::date)::text AS "fleetForecastUsd"
  FROM (SELECT 1) AS one
  LEFT JOIN executive_fleet_summary f ON f.row_kind = 'fleet'
  LEFT JOIN invoice i ON true
