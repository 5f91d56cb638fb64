-- A run's untracked figures, once its instances are recorded. Dropped first, in this statement:
-- instances a VPS row names by now (created while the run priced), and those the run's own
-- listing no longer names (a resumed run listed the account again). The figures count the rest.
-- Both facts are joined once (hash joins): tested per recorded instance inside an OR, each was a
-- scan of the listing and of every VPS row, which took minutes at 100k VPS.
WITH listed AS (
  SELECT DISTINCT unnest(:sids::text[]) AS sid
),
named AS (
  SELECT DISTINCT COALESCE(NULLIF(ltrim(btrim(v.hostwinds_instance_id), '0'), ''), '0') AS sid
    FROM vps_instances v
   WHERE btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,20}$'
),
stale AS (
  SELECT u.serviceid
    FROM cost_untracked_instances u
    LEFT JOIN listed l ON l.sid = u.serviceid
    LEFT JOIN named n ON n.sid = u.serviceid
   WHERE u.run_id = :runId::uuid AND (l.sid IS NULL OR n.sid IS NOT NULL)
),
dropped AS (
  DELETE FROM cost_untracked_instances u
   USING stale s
   WHERE u.run_id = :runId::uuid AND u.serviceid = s.serviceid
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
