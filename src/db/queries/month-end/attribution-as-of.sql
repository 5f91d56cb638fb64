-- Modelled cost per tenant (tenantId NULL = unallocated) as of an instant, rebuilt from cost_history
-- by cost_attribution_as_of (migration 20261207200000, docs/forecast.md). Exact decimals as text.
SELECT tenant_id::text AS "tenantId", vps_cost::text AS "vpsCost", ip_cost::text AS "ipCost",
       vps_count::int AS "vpsCount", ip_count::int AS "ipCount"
  FROM cost_attribution_as_of(:at::timestamptz)
 ORDER BY tenant_id NULLS LAST
