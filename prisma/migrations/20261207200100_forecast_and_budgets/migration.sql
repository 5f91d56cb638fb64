-- Forecast and budgets (docs/forecast.md; issue 23).
--
-- 1. cost_month_end_figures: the month-end figure (cost_attribution_as_of at the month's last instant)
--    of each complete month, per tenant, per plan and for the fleet. Derived data, a cache: the
--    forecast reads 24 months of 10k tenants from it instead of rebuilding them from cost_history on
--    every run. Each month remembers the newest cost_history id it saw (history_id); a month is
--    recomputed when a row with a higher id has changed_at inside the month (a back-dated change).
-- 2. cost_forecasts: the latest forecast per scope and month (written by the forecast service: the
--    worker's refresh and `cost-sync forecast`), which the executive view and Grafana read.
-- 3. cost_budgets: every budget change (set or clear), with its operator and reason; the one in force
--    for a scope and month is the latest change whose from_month is at or before it.
-- 4. executive_cost_forecast, executive_budget_status: fleet-reading roles only (business_analysts,
--    executives, db_administrators), like executive_fleet_summary; application_service has no grant:
--    budgets and forecasts are fleet-level planning figures, never a tenant's to see.
-- Every statement is safe to rerun.

CREATE TABLE IF NOT EXISTS cost_month_end_figures (
    month       date NOT NULL CHECK (month = date_trunc('month', month)::date),
    scope       text NOT NULL CHECK (scope IN ('fleet', 'tenant', 'plan')),
    -- '' for the fleet, the tenant's uuid, the plan's rid ('' for VPS priced from no plan)
    scope_id    text NOT NULL,
    vps_cost    numeric(14,2) NOT NULL,
    ip_cost     numeric(14,2) NOT NULL,
    -- fleet rows: cost attributed to no tenant (in vps_cost + ip_cost)
    unallocated numeric(14,2),
    history_id  bigint NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, scope_id, month)
);
CREATE INDEX IF NOT EXISTS idx_cost_month_end_figures_month ON cost_month_end_figures (month);
COMMENT ON TABLE cost_month_end_figures IS
'Month-end figures (modelled cost at the last instant of each complete UTC month, rebuilt from cost_history) per tenant, plan and for the fleet: a cache for the forecast, recomputed when history inside the month changes. Internal cost modelling, not billing.';

CREATE TABLE IF NOT EXISTS cost_forecasts (
    scope        text NOT NULL CHECK (scope IN ('fleet', 'tenant', 'plan')),
    scope_id     text NOT NULL,
    month        date NOT NULL CHECK (month = date_trunc('month', month)::date),
    -- the current month's row: the run-rate when the forecast was made
    run_rate     numeric(14,2),
    p10          numeric(14,2),
    p50          numeric(14,2) NOT NULL,
    p90          numeric(14,2),
    -- complete months of history the forecast rests on; fewer than 6: run-rate and known changes, no interval
    history_months int NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, scope_id, month),
    CHECK (p50 <> 'NaN'::numeric AND (p10 IS NULL) = (p90 IS NULL))
);
COMMENT ON TABLE cost_forecasts IS
'The latest forecast of month-end modelled cost per scope (fleet, tenant, plan) and month, p10/p50/p90 (docs/forecast.md). Internal cost modelling, not billing.';

CREATE TABLE IF NOT EXISTS cost_budgets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope       text NOT NULL CHECK (scope IN ('fleet', 'tenant', 'plan')),
    scope_id    text NOT NULL,
    -- NULL: the budget of the scope is cleared from from_month on
    amount      numeric(14,2) CHECK (amount > 0 AND amount <> 'NaN'::numeric),
    from_month  date NOT NULL CHECK (from_month = date_trunc('month', from_month)::date),
    changed_by  text NOT NULL,
    reason      text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_cost_budgets_scope ON cost_budgets (scope, scope_id, from_month, id);
COMMENT ON TABLE cost_budgets IS
'Every change of a monthly cost budget (fleet, tenant or plan): amount in USD per month from from_month on, NULL when cleared; who and why. The budget in force is the latest change (by from_month, then id) at or before the month. Internal planning, not billing.';

-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW executive_cost_forecast WITH (security_barrier) AS
SELECT f.scope, NULLIF(f.scope_id, '') AS scope_id, f.month, f.run_rate, f.p10, f.p50, f.p90,
       f.history_months, f.computed_at
  FROM cost_forecasts f
 WHERE (SELECT cost_sync_sees_all_tenants());
COMMENT ON VIEW executive_cost_forecast IS
'Forecast month-end modelled cost per scope (fleet; tenant: scope_id is the tenant id; plan: the Hostwinds plan rid) and month: p50 with its p10..p90 interval from the backtest''s errors (NULL with fewer than 6 months of history). Internal cost modelling, not billing; never shown to tenants.';

-- The budget in force this month per scope, against the forecast of this month and the cost now.
CREATE OR REPLACE VIEW executive_budget_status WITH (security_barrier) AS
WITH this_month AS (
    SELECT (date_trunc('month', now() AT TIME ZONE 'UTC'))::date AS month
),
in_force AS (
    SELECT DISTINCT ON (b.scope, b.scope_id) b.scope, b.scope_id, b.amount, b.from_month, b.changed_by, b.reason, b.changed_at
      FROM cost_budgets b, this_month m
     WHERE b.from_month <= m.month
     ORDER BY b.scope, b.scope_id, b.from_month DESC, b.id DESC
)
SELECT b.scope, NULLIF(b.scope_id, '') AS scope_id, m.month, b.amount,
       f.run_rate AS actual, f.p50 AS month_end_forecast_p50, f.p90 AS month_end_forecast_p90,
       CASE WHEN f.p50 IS NULL THEN NULL
            WHEN f.p50 > b.amount OR f.run_rate > b.amount THEN 'over'
            WHEN COALESCE(f.p90, f.p50) > b.amount THEN 'at_risk'
            ELSE 'ok' END AS status,
       b.from_month, b.changed_by, b.reason, b.changed_at, f.computed_at AS forecast_computed_at
  FROM in_force b
 CROSS JOIN this_month m
  LEFT JOIN cost_forecasts f ON f.scope = b.scope AND f.scope_id = b.scope_id AND f.month = m.month
 WHERE b.amount IS NOT NULL AND (SELECT cost_sync_sees_all_tenants());
COMMENT ON VIEW executive_budget_status IS
'Budgets in force this month (fleet, tenant, plan) against the month-end forecast: status ok, at_risk (p90 over budget) or over (p50 or the cost now over budget); NULL status: no forecast yet. Internal planning, not billing; never shown to tenants.';

REVOKE ALL ON cost_month_end_figures, cost_forecasts, cost_budgets, executive_cost_forecast, executive_budget_status FROM PUBLIC;
GRANT SELECT ON executive_cost_forecast, executive_budget_status TO business_analysts, executives;
GRANT ALL ON executive_cost_forecast, executive_budget_status, cost_month_end_figures, cost_forecasts, cost_budgets TO db_administrators;
