-- The next chunk of VPS after :after in id order: the resumable walk of a reconciliation.
SELECT id::text,
       hostwinds_instance_id AS sid,
       status,
       approximate_cost_override::text AS override,
       approximate_cost::text AS cost
  FROM vps_instances
 WHERE (:after::uuid IS NULL OR id > :after::uuid)
 ORDER BY id
 LIMIT :size
