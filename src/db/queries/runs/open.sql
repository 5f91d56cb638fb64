-- The run of this job: created on the first attempt, found again on a retry (resume).
INSERT INTO cost_reconciliation_runs (job_id, trigger, total_before)
VALUES (:jobKey, :trigger,
        (SELECT COALESCE(sum(approximate_cost), 0) FROM vps_instances)
      + (SELECT COALESCE(sum(approximate_cost), 0) FROM smtp_ip_addresses))
ON CONFLICT (job_id) DO UPDATE
   SET status = CASE WHEN cost_reconciliation_runs.status = 'failed' THEN 'running' ELSE cost_reconciliation_runs.status END,
       error = NULL
RETURNING id::text, status, cursor_vps_id::text AS cursor
