-- The get_billingcycle_prices answers already read for a reconciliation run (one call per instance per run).
SELECT serviceid::text AS "serviceId", outcome, prices, reason
  FROM cost_savings_cycle_answers
 WHERE run_id = :runId::uuid
