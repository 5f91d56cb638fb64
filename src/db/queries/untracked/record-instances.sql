-- Records untracked instances of a run (docs/untracked.md). Each one is written only if still no
-- VPS row names its service id, re-checked here: a row the application created during the run
-- makes the instance tracked, and it is not reported. A resumed run overwrites its own rows.
INSERT INTO cost_untracked_instances (run_id, serviceid, hostname, main_ip, plan, status, monthly_cost, unpriced_reason)
SELECT :runId::uuid, u.sid, u.hostname, u.main_ip, u.plan, u.status, u.cost, u.reason
  FROM unnest(:sids::text[], :hostnames::text[], :ips::text[], :plans::text[], :statuses::text[],
              :costs::numeric[], :reasons::text[])
       AS u(sid, hostname, main_ip, plan, status, cost, reason)
 WHERE NOT EXISTS (
         SELECT 1 FROM vps_instances v
          WHERE btrim(v.hostwinds_instance_id) ~ '^[0-9]{1,20}$'
            AND COALESCE(NULLIF(ltrim(btrim(v.hostwinds_instance_id), '0'), ''), '0') = u.sid)
ON CONFLICT (run_id, serviceid) DO UPDATE
   SET hostname = EXCLUDED.hostname, main_ip = EXCLUDED.main_ip, plan = EXCLUDED.plan, status = EXCLUDED.status,
       monthly_cost = EXCLUDED.monthly_cost, unpriced_reason = EXCLUDED.unpriced_reason
