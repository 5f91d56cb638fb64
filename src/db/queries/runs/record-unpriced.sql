-- The VPS of one chunk the run could not price, with the reason (a resumed run overwrites its own rows).
INSERT INTO cost_reconciliation_unpriced (run_id, vps_id, serviceid, reason)
SELECT :runId::uuid, u.id, v.hostwinds_instance_id, u.reason
  FROM unnest(:ids::uuid[], :reasons::text[]) AS u(id, reason)
  JOIN vps_instances v ON v.id = u.id
ON CONFLICT (run_id, vps_id) DO UPDATE SET reason = EXCLUDED.reason, serviceid = EXCLUDED.serviceid
