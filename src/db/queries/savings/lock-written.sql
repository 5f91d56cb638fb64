-- Locks the stored rows the recording statement (savings/apply.sql) may change: the found ones whose
-- figures changed (not in savings_unchanged) and the current ones not found (they may be done). A
-- statement of its own, before the recording one: the recording statement reads each row's previous
-- state from its snapshot, and a dismissal committed while it waited for the row would be undone
-- with no state change recorded (test/savings-dismiss-race.test.ts). Once locked here, the recording
-- statement's snapshot, taken after, is the rows as they are. Unchanged rows are not locked, so a
-- steady refresh still writes nothing; a dismissal of one of them keeps, as its facts did not change.
SELECT count(*)::int AS locked
  FROM (SELECT o.id
          FROM cost_savings_opportunities o
         WHERE (o.id IN (SELECT g.id FROM savings_found g)
                AND NOT EXISTS (SELECT 1 FROM savings_unchanged u WHERE u.id = o.id))
            OR (o.current AND NOT EXISTS (SELECT 1 FROM savings_found g WHERE g.id = o.id))
         ORDER BY o.id
           FOR UPDATE OF o) l
