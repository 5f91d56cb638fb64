-- A completed reconciliation's billing cycle and plan group per listed instance, in batches.
INSERT INTO cost_reconciliation_cycles (run_id, serviceid, billing_cycle, group_key)
SELECT :runId::uuid, c.s, c.c, c.g
  FROM jsonb_to_recordset(:cycles::jsonb) AS c(s bigint, c text, g text)
ON CONFLICT (run_id, serviceid) DO UPDATE SET billing_cycle = EXCLUDED.billing_cycle, group_key = EXCLUDED.group_key
