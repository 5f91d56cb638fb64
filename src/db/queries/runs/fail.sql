UPDATE cost_reconciliation_runs SET status = 'failed', error = :error WHERE id = :runId::uuid AND status = 'running'
