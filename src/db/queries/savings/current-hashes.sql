-- The opportunities current now, with the hash of their recorded figures: a refresh re-sends and
-- rewrites only those whose figures differ (savings/apply.sql). Read after the apply lock.
SELECT o.id, o.row_hash AS "rowHash"
  FROM cost_savings_opportunities o
 WHERE o.current AND o.state <> 'done'
