-- Budgets this month whose status is at_risk or over (executive_budget_status: the stored forecast
-- the worker refreshes), worst first; the first :limit, with how many in all.
SELECT scope, scope_id AS id, amount::text, actual::text, month_end_forecast_p50::text AS "monthEndForecastP50",
       month_end_forecast_p90::text AS "monthEndForecastP90", status, count(*) OVER ()::int AS total
  FROM executive_budget_status
 WHERE status IN ('at_risk', 'over')
 ORDER BY status DESC, scope, scope_id
 LIMIT :limit
