SELECT vps_checked AS n FROM cost_reconciliation_runs WHERE id = :runId::uuid
