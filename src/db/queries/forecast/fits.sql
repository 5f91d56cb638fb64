-- The stored fits of every scope (cost_forecast_fits), for the forecast of every scope.
SELECT scope, scope_id AS "scopeId", history_months AS "historyMonths", trend, phi, err_lo AS lo, err_hi AS hi
  FROM cost_forecast_fits
