-- `report untracked`: the Hostwinds instances no VPS row names, then the ghost rows, found by the
-- latest completed reconciliation that checked (cost_untracked_latest), every figure as exact text.
-- Fleet-level: nothing here names a tenant (docs/untracked.md).
SELECT kind, serviceid, vps_id, hostname, main_ip, plan, hostwinds_status, monthly_cost, unpriced_reason
  FROM (SELECT 'untracked' AS kind, u.serviceid, NULL::text AS vps_id, u.hostname, u.main_ip, u.plan,
               u.status AS hostwinds_status, u.monthly_cost::text AS monthly_cost, u.unpriced_reason, 0 AS part
          FROM cost_untracked_instances u JOIN cost_untracked_latest l ON l.run_id = u.run_id
        UNION ALL
        SELECT 'ghost', g.serviceid, g.vps_id::text, NULL, NULL, NULL,
               COALESCE(g.hostwinds_status, 'not listed'), NULL, NULL, 1
          FROM cost_ghost_rows g JOIN cost_untracked_latest l ON l.run_id = g.run_id) AS found
 ORDER BY part, length(serviceid), serviceid, vps_id
