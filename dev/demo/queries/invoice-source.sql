-- What the demo's generated Hostwinds invoice bills: every priced VPS at its modelled cost, the
-- decommissioned ones (which Hostwinds still bills), and the first priced IP; each with the host
-- name the latest reconciliation listed for its server (NULL when it listed none), which is how
-- WHMCS names a service in a line's description.
WITH listed AS (
    SELECT l.serviceid, l.hostname FROM cost_listed_instances l
     WHERE l.run_id = (SELECT run_id FROM cost_untracked_latest)
)
SELECT 'vps' AS kind, v.hostwinds_instance_id AS "serviceId", NULL AS ip, v.approximate_cost::text AS cost,
       (SELECT hostname FROM listed WHERE serviceid = v.hostwinds_instance_id LIMIT 1) AS hostname,
       v.status = 'decommissioned' AS decommissioned
  FROM vps_instances v
 WHERE (v.approximate_cost > 0 OR v.status = 'decommissioned') AND v.hostwinds_instance_id IS NOT NULL
UNION ALL
(SELECT 'ip', v.hostwinds_instance_id, i.ip_address::text, i.approximate_cost::text,
        (SELECT hostname FROM listed WHERE serviceid = v.hostwinds_instance_id LIMIT 1), false
   FROM smtp_ip_addresses i JOIN vps_instances v ON v.id = i.vps_instance_id
  WHERE i.approximate_cost > 0 ORDER BY i.ip_address LIMIT 1)
ORDER BY 1 DESC, 2, 3
