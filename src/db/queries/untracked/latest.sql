-- The untracked figures of the latest completed reconciliation that checked (zero or one row).
SELECT run_id::text AS "runId", checked_at AS "checkedAt", untracked_instances AS instances,
       untracked_unpriced AS unpriced, untracked_monthly_cost::text AS "monthlyUsd", ghost_rows AS "ghostRows"
  FROM cost_untracked_latest
