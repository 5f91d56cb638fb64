-- What the demo's generated Hostwinds invoice bills: every priced VPS at its modelled cost, and the first IP.
SELECT 'vps' AS kind, hostwinds_instance_id AS "serviceId", NULL AS ip, approximate_cost::text AS cost
  FROM vps_instances
 WHERE approximate_cost > 0 AND hostwinds_instance_id IS NOT NULL
UNION ALL
(SELECT 'ip', NULL, ip_address::text, approximate_cost::text
   FROM smtp_ip_addresses WHERE approximate_cost > 0 ORDER BY ip_address LIMIT 1)
ORDER BY 1 DESC, 2, 3
