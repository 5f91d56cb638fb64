-- The conservation invariant (docs/data-model.md): attributed + unallocated = total modelled cost,
-- to the cent, comparing the precomputed attribution with the base tables in one snapshot. NaN and
-- non-positive costs are outside the attribution (and the money check's business). When the
-- attribution is older than the newest cost change, a mismatch only means it is stale.
WITH base AS (
  SELECT (SELECT COALESCE(sum(approximate_cost), 0) FROM vps_instances
           WHERE approximate_cost > 0 AND approximate_cost <> 'NaN') AS vps,
         (SELECT COALESCE(sum(approximate_cost), 0) FROM smtp_ip_addresses
           WHERE approximate_cost > 0 AND approximate_cost <> 'NaN') AS ip
),
attributed AS (
  SELECT COALESCE(sum(vps_cost), 0) AS vps,
         COALESCE(sum(ip_cost), 0) AS ip,
         COALESCE(sum(vps_cost + ip_cost) FILTER (WHERE tenant_id IS NULL), 0) AS unallocated,
         max(refreshed_at) AS refreshed_at
    FROM cost_attribution_by_tenant
)
SELECT base.vps::text AS base_vps,
       base.ip::text AS base_ip,
       attributed.vps::text AS attributed_vps,
       attributed.ip::text AS attributed_ip,
       attributed.unallocated::text AS unallocated,
       attributed.refreshed_at,
       GREATEST((SELECT max(changed_at) FROM cost_history),
                (SELECT max(approximate_cost_synced_at) FROM vps_instances),
                (SELECT max(approximate_cost_synced_at) FROM smtp_ip_addresses)) AS latest_change,
       attributed.refreshed_at < GREATEST((SELECT max(changed_at) FROM cost_history),
                                          (SELECT max(approximate_cost_synced_at) FROM vps_instances),
                                          (SELECT max(approximate_cost_synced_at) FROM smtp_ip_addresses)) AS stale
  FROM base, attributed
