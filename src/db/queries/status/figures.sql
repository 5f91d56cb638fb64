-- Whole-fleet figures for the status gauges (never an id): VPS the last sync could not price,
-- anomalies nobody has acknowledged or resolved, how fresh the views and the model are,
-- the untracked spend and ghost rows of the latest run that checked (NULL: none has), the budgets by
-- status, and the latest completed price watch.
SELECT (SELECT count(*) FROM vps_instances WHERE approximate_cost_unpriced_reason IS NOT NULL)::int AS "unpricedVps",
       (SELECT count(*) FROM cost_anomalies WHERE state = 'open')::int AS "openAnomalies",
       GREATEST((SELECT max(refreshed_at) FROM tenant_business_snapshot),
                (SELECT max(refreshed_at) FROM cost_attribution_by_tenant)) AS "attributionRefreshedAt",
       (SELECT (value ->> 'completed_at')::timestamptz FROM system_config
         WHERE key = 'cost_sync.last_successful_reconciliation') AS "lastReconciliationAt",
       u.untracked_instances AS "untrackedInstances",
       u.untracked_monthly_cost::text AS "untrackedMonthlyUsd",
       u.ghost_rows AS "ghostRows",
       -- budgets in force this month by status (docs/forecast.md); NULL status: no forecast yet
       (SELECT count(*) FROM executive_budget_status WHERE status = 'ok')::int AS "budgetsOk",
       (SELECT count(*) FROM executive_budget_status WHERE status = 'at_risk')::int AS "budgetsAtRisk",
       (SELECT count(*) FROM executive_budget_status WHERE status = 'over')::int AS "budgetsOver",
       pw.finished_at AS "lastPriceWatchAt",
       pw.changes AS "priceWatchChanges"
  FROM (SELECT 1) AS one
  LEFT JOIN cost_untracked_latest u ON true
  -- The latest completed price watch (NULL: none has run).
  LEFT JOIN LATERAL (SELECT finished_at, changes FROM cost_price_watch_runs WHERE status = 'completed'
                      ORDER BY finished_at DESC LIMIT 1) pw ON true
