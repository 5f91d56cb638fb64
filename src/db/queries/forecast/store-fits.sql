-- Replaces every stored fit and the basis they were computed from, in one statement. Two forecasts
-- fitting at once (the worker's refresh and a CLI run): the later one's rows replace the earlier's
-- (ON CONFLICT), never a duplicate key error.
WITH gone AS (DELETE FROM cost_forecast_fits RETURNING 1),
fresh AS (
    INSERT INTO cost_forecast_fits (scope, scope_id, history_months, trend, phi, err_lo, err_hi)
    SELECT r.scope, r.scope_id, r.history_months, r.trend, r.phi, r.err_lo, r.err_hi
      FROM unnest(:scopes::text[], :scopeIds::text[], :historyMonths::int[], :trends::float8[], :phis::float8[],
                  :los::float8[], :his::float8[]) AS r(scope, scope_id, history_months, trend, phi, err_lo, err_hi),
           (SELECT count(*) FROM gone) AS after_delete
    ON CONFLICT (scope, scope_id) DO UPDATE
       SET history_months = EXCLUDED.history_months, trend = EXCLUDED.trend, phi = EXCLUDED.phi,
           err_lo = EXCLUDED.err_lo, err_hi = EXCLUDED.err_hi
    RETURNING 1
)
INSERT INTO cost_forecast_fit_basis (only_row, basis, computed_at)
SELECT true, :basis::text, now() FROM (SELECT count(*) FROM fresh) AS after_insert
ON CONFLICT (only_row) DO UPDATE SET basis = EXCLUDED.basis, computed_at = EXCLUDED.computed_at
