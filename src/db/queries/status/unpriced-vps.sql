-- VPS the last sync could not price, with the cost they keep, for `status`.
SELECT 'vps' AS kind,
       id::text,
       hostwinds_instance_id AS serviceid,
       approximate_cost::text AS kept_cost,
       approximate_cost_unpriced_reason AS reason
  FROM vps_instances
 WHERE approximate_cost_unpriced_reason IS NOT NULL
 ORDER BY id
 LIMIT :limit
