SELECT EXISTS (SELECT 1 FROM cost_reconciliation_runs WHERE id = :runId::uuid) AS found
