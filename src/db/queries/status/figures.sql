-- Whole-fleet figures for the status gauges (never an id): VPS the last sync could not price,
-- anomalies nobody has acknowledged or resolved, how fresh the views and the model are,
-- and the untracked spend and ghost rows of the latest run that checked (NULL: none has).
SELECT (SELECT count(*) FROM vps_instances WHERE approximate_cost_unpriced_reason IS NOT NULL)::int AS "unpricedVps",
       (SELECT count(*) FROM cost_anomalies WHERE state = 'open')::int AS "openAnomalies",
       GREATEST((SELECT max(refreshed_at) FROM tenant_business_snapshot),
                (SELECT max(refreshed_at) FROM cost_attribution_by_tenant)) AS "attributionRefreshedAt",
       (SELECT (value ->> 'completed_at')::timestamptz FROM system_config
         WHERE key = 'cost_sync.last_successful_reconciliation') AS "lastReconciliationAt",
       u.untracked_instances AS "untrackedInstances",
       u.untracked_monthly_cost::text AS "untrackedMonthlyUsd",
       u.ghost_rows AS "ghostRows"
  FROM (SELECT 1) AS one
  LEFT JOIN cost_untracked_latest u ON true
