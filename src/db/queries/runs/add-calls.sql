UPDATE cost_reconciliation_runs SET hostwinds_calls = hostwinds_calls + :calls WHERE id = :runId::uuid
