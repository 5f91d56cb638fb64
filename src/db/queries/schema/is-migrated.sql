-- Whether `cost-sync migrate` has prepared this database (its last objects exist).
SELECT to_regclass('cost_sync_events') IS NOT NULL
   AND to_regclass('tenant_business_snapshot') IS NOT NULL AS ok
