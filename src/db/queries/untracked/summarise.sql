-- A run's untracked figures, once its instances are recorded. Dropped first, in this statement:
-- instances a VPS row names by now (created while the run priced), and those the run's own
-- listing no longer names (a resumed run listed the account again). The figures count the rest.
WITH listed AS (
  SELECT unnest(:sids::text[]) AS sid
),
dropped AS (
  DELETE FROM cost_untracked_instances u
   WHERE u.run_id = :runId::uuid
     AND (NOT EXISTS (SELECT 1 FROM listed l WHERE l.sid = u.serviceid)
          OR EXISTS (SELECT 1 FROM vps_instances v
                      WHERE btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,20}$'
                        AND COALESCE(NULLIF(ltrim(btrim(v.hostwinds_instance_id), '0'), ''), '0') = u.serviceid))
  RETURNING u.serviceid
),
kept AS (
  SELECT u.monthly_cost FROM cost_untracked_instances u
   WHERE u.run_id = :runId::uuid AND NOT EXISTS (SELECT 1 FROM dropped d WHERE d.serviceid = u.serviceid)
)
UPDATE cost_reconciliation_runs
   SET untracked_instances = (SELECT count(*) FROM kept),
       untracked_unpriced = (SELECT count(*) FROM kept WHERE monthly_cost IS NULL),
       untracked_monthly_cost = (SELECT COALESCE(sum(monthly_cost), 0) FROM kept)
 WHERE id = :runId::uuid
RETURNING untracked_instances AS instances, untracked_unpriced AS unpriced,
          untracked_monthly_cost::text AS "monthlyUsd"
