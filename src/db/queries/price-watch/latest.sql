-- The latest price watch (completed or not) and the latest completed one, for status and the gauges.
SELECT r.id::text AS "runId", r.status, r.trigger, r.started_at AS "startedAt", r.finished_at AS "finishedAt",
       r.baseline, r.prices, r.changes, r.hostwinds_calls AS calls, r.error,
       (SELECT max(finished_at) FROM cost_price_watch_runs WHERE status = 'completed') AS "lastCompletedAt"
  FROM cost_price_watch_runs r
 ORDER BY r.started_at DESC
 LIMIT 1
