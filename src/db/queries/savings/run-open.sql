INSERT INTO cost_savings_runs (trigger, idle_days, reconciliation_run_id)
VALUES (:trigger, :idleDays, :reconciliationRunId::uuid)
RETURNING id::text
