-- How fresh the page's figures are: the attribution (and snapshot) refresh, the last successful
-- reconciliation, and the database's clock, so that ages do not depend on the caller's.
SELECT now() AS "generatedAt",
       GREATEST((SELECT max(refreshed_at) FROM tenant_business_snapshot),
                (SELECT max(refreshed_at) FROM cost_attribution_by_tenant)) AS "attributionRefreshedAt",
       (SELECT (value ->> 'completed_at')::timestamptz FROM system_config
         WHERE key = 'cost_sync.last_successful_reconciliation') AS "lastReconciliationAt"
