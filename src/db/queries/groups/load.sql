-- The groups a run planned before it was interrupted, to price the rest the same way.
SELECT group_key AS key, mode, rid, members, sampled, reason, plan
  FROM cost_reconciliation_groups
 WHERE run_id = :runId::uuid
