-- The groups a run planned (a resumed run keeps the first plan: DO NOTHING).
INSERT INTO cost_reconciliation_groups (run_id, group_key, mode, rid, members, sampled, reason, plan)
SELECT :runId::uuid, g.key, g.mode, g.rid, g.members, g.sampled, g.reason, g.plan
  FROM jsonb_to_recordset(:groups::jsonb)
       AS g(key text, mode text, rid text, members int, sampled int, reason text, plan jsonb)
ON CONFLICT (run_id, group_key) DO NOTHING
