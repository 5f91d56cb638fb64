-- One run's figures: the run :runId, or the latest one when :runId is NULL.
SELECT id::text, status, trigger, started_at AS "startedAt", finished_at AS "finishedAt",
       vps_checked AS "vpsChecked", vps_changed AS "vpsChanged", vps_unpriced AS "vpsUnpriced", vps_failed AS "vpsFailed",
       ip_checked AS "ipChecked", ip_changed AS "ipChanged", vps_skipped AS "vpsSkipped", ip_skipped AS "ipSkipped", anomalies, hostwinds_calls AS "hostwindsCalls",
       calls_list AS "callsList", calls_learn AS "callsLearn", calls_verify AS "callsVerify", calls_fallback AS "callsFallback",
       total_before::text AS "totalBefore", total_after::text AS "totalAfter",
       monthly_cost_difference::text AS "monthlyCostDifference", error
  FROM cost_reconciliation_runs
 WHERE id = COALESCE(:runId::uuid, (SELECT id FROM cost_reconciliation_runs ORDER BY started_at DESC LIMIT 1))
