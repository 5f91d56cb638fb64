-- The plan (every cycle's price) of each group a reconciliation verified against the catalogue:
-- read once per group for the VPS of savings/cycle-candidates.sql.
SELECT g.group_key AS "groupKey", g.plan
  FROM cost_reconciliation_groups g
 WHERE g.run_id = :runId::uuid AND g.mode = 'catalogue' AND g.plan IS NOT NULL
