-- The latest finished savings refresh (for `report savings` and the gauges).
SELECT id::text, trigger, started_at AS "startedAt", finished_at AS "finishedAt", opportunities, opened, done,
       reopened, calls_billingcycle AS calls, cycle_unknown AS "cycleUnknown", idle_days AS "idleDays"
  FROM cost_savings_runs WHERE finished_at IS NOT NULL
 ORDER BY finished_at DESC LIMIT 1
