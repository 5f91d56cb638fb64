-- The plan (every cycle's price) of each group the latest completed reconciliation verified against
-- the catalogue: a catalogue VPS's outcome depends on its plan and cycle only, so the refresh judges
-- each (group, cycle) once from these, before reading any VPS (savings/cycle-candidates.sql).
WITH run AS (
    SELECT r.id FROM cost_reconciliation_runs r
     WHERE r.status = 'completed' AND EXISTS (SELECT 1 FROM cost_reconciliation_cycles c WHERE c.run_id = r.id)
     ORDER BY r.finished_at DESC NULLS LAST, r.started_at DESC
     LIMIT 1
)
SELECT g.group_key AS "groupKey", g.plan
  FROM run JOIN cost_reconciliation_groups g ON g.run_id = run.id
 WHERE g.mode = 'catalogue' AND g.plan IS NOT NULL
