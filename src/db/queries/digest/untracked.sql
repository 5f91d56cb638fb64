-- Untracked spend as the latest completed reconciliation that checked found it (zero or one row).
SELECT checked_at AS "checkedAt", untracked_instances AS instances,
       untracked_monthly_cost::text AS "monthlyUsd", ghost_rows AS "ghostRows"
  FROM cost_untracked_latest
