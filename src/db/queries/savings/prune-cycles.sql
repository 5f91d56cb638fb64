-- Only the latest run's cycles are read: older runs' rows go once a newer run has recorded its own.
DELETE FROM cost_reconciliation_cycles WHERE run_id <> :runId::uuid
