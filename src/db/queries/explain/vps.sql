-- One VPS as `explain vps` shows it: what decides its cost and where the figure came from.
SELECT v.id::text,
       v.hostwinds_instance_id AS serviceid,
       v.status,
       v.tenant_id::text AS "tenantId",
       v.approximate_cost::text AS cost,
       v.approximate_cost_source AS source,
       v.approximate_cost_synced_at AS "syncedAt",
       v.approximate_cost_override::text AS override,
       v.approximate_cost_unpriced_reason AS "unpricedReason"
  FROM vps_instances v
 WHERE v.id = :id::uuid
