-- The Hostwinds service ids a reconciliation has to price (not decommissioned, no override), as
-- numbers: `0030` and `30` name the same instance.
SELECT DISTINCT ltrim(hostwinds_instance_id, '0')::bigint::text AS sid
  FROM vps_instances
 WHERE status IS DISTINCT FROM 'decommissioned'
   AND approximate_cost_override IS NULL
   AND hostwinds_instance_id ~ '^0*[1-9][0-9]{0,14}$'
