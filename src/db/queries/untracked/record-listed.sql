-- Every instance a run's get_instances listed, tracked or not, with its host name and status: an
-- invoice line that names only its host is matched through the latest run's list. A resumed run
-- overwrites its own rows.
INSERT INTO cost_listed_instances (run_id, serviceid, hostname, status)
SELECT :runId::uuid, u.sid, u.hostname, u.status
  FROM unnest(:sids::text[], :hostnames::text[], :statuses::text[]) AS u(sid, hostname, status)
ON CONFLICT (run_id, serviceid) DO UPDATE SET hostname = EXCLUDED.hostname, status = EXCLUDED.status
