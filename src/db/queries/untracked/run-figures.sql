-- One run's untracked figures (NULL counts: the run did not check).
SELECT untracked_instances AS instances, untracked_unpriced AS unpriced,
       untracked_monthly_cost::text AS "monthlyUsd", ghost_rows AS "ghostRows"
  FROM cost_reconciliation_runs
 WHERE id = :runId::uuid
