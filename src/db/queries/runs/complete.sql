-- Closes a run, adding the last IPs (those on no VPS) and the modelled total after it.
UPDATE cost_reconciliation_runs
   SET status = 'completed',
       finished_at = now(),
       ip_checked = ip_checked + :ipChecked,
       ip_changed = ip_changed + :ipChanged,
       ip_skipped = ip_skipped + :ipSkipped,
       anomalies = (SELECT count(*) FROM cost_anomalies WHERE run_id = :runId::uuid),
       total_after = (SELECT COALESCE(sum(approximate_cost), 0) FROM vps_instances)
                   + (SELECT COALESCE(sum(approximate_cost), 0) FROM smtp_ip_addresses),
       monthly_cost_difference = (SELECT sum(approximate_cost - monthly_cost) FROM vps_instances WHERE monthly_cost IS NOT NULL)
 WHERE id = :runId::uuid
RETURNING id::text
