-- The columns of one VPS that decide its cost.
SELECT id::text,
       hostwinds_instance_id AS sid,
       status,
       approximate_cost_override::text AS override,
       approximate_cost::text AS cost
  FROM vps_instances
 WHERE id = :id::uuid
