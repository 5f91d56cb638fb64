-- Stored trend fits for the forecast of every scope (docs/forecast.md, "Stored fits"; issue 23,
-- "Performance"). A scope's trend (Holt's damped trend) and the quantiles of its backtest errors only
-- change when its month-end figures do: when a month completes or the history inside a month changes
-- (the figures of that month are then recomputed into cost_month_end_figures). The forecast of every
-- scope fits them once for a set of month-end figures and stores them here; the next forecasts read
-- them and only apply the run-rate and the known changes.
--
-- cost_forecast_fit_basis (one row) names the figures the fits were computed from: the window of months
-- and, per month, the fleet row's history_id and computed_at (a month's refresh rewrites all its rows,
-- the fleet's included). When the figures in the window no longer give the same basis, the fits are
-- stale and are recomputed (the fits and the basis are replaced by one statement). Derived data:
-- deleting it only costs the time to fit again. Doubles, stored as float8: they round-trip exactly.
-- Every statement is safe to rerun.

CREATE TABLE IF NOT EXISTS cost_forecast_fits (
    scope          text NOT NULL CHECK (scope IN ('fleet', 'tenant', 'plan')),
    scope_id       text NOT NULL,
    -- complete months of history (from the scope's first month with a cost): fewer than 6, no trend
    history_months int NOT NULL,
    -- the damped trend (cents per month) and its damping; NULL without a trend
    trend          float8,
    phi            float8,
    -- the 5th and 95th percentiles of the backtest's relative errors (bounded by 0); NULL: no interval
    err_lo         float8,
    err_hi         float8,
    PRIMARY KEY (scope, scope_id),
    CHECK ((trend IS NULL) = (phi IS NULL) AND (err_lo IS NULL) = (err_hi IS NULL))
);
COMMENT ON TABLE cost_forecast_fits IS
'Per scope (fleet, tenant, plan): the forecast''s damped trend and backtest error quantiles fitted on the month-end figures named by cost_forecast_fit_basis (docs/forecast.md). Derived data, recomputed when those figures change. Internal cost modelling, not billing.';

CREATE TABLE IF NOT EXISTS cost_forecast_fit_basis (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    basis       text NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cost_forecast_fit_basis IS
'The month-end figures cost_forecast_fits was fitted on: the months and, per month, the fleet row''s history_id and computed_at. Internal.';

REVOKE ALL ON cost_forecast_fits, cost_forecast_fit_basis FROM PUBLIC;
GRANT ALL ON cost_forecast_fits, cost_forecast_fit_basis TO db_administrators;
