-- How the cost of each resource in :ids is split among tenants: the rules of the materialised view
-- cost_attribution_by_tenant (migration 20261101000400_cost_attribution_and_views), per resource
-- instead of summed per tenant. A dedicated VPS and its IPs are its tenant's; a shared VPS's IP is
-- split evenly among the distinct tenants with active or warming assignments on it, the VPS in
-- proportion to those tenants' assignments on its IPs; the rest is unallocated (tenant NULL). Cents
-- by largest remainder, ties by tenant id. test/cli-provenance.test.ts checks that these shares sum
-- to tenant_cost_attribution for every tenant, so the two cannot drift apart unnoticed.
WITH ip_tenants AS (
    SELECT a.smtp_ip_address_id AS ip_id, d.tenant_id, count(*)::bigint AS assignments
      FROM domain_ip_assignments a
      JOIN domains d ON d.id = a.domain_id
      JOIN smtp_ip_addresses i ON i.id = a.smtp_ip_address_id
     WHERE a.status IN ('active', 'warming')
       AND (i.id = ANY(:ids::uuid[]) OR i.vps_instance_id = ANY(:ids::uuid[]))
     GROUP BY a.smtp_ip_address_id, d.tenant_id
),
ip_claims AS (
    SELECT i.id AS resource_id, round(i.approximate_cost * 100)::bigint AS cents,
           COALESCE(v.tenant_id, it.tenant_id) AS tenant_id, 1::bigint AS weight
      FROM smtp_ip_addresses i
      LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
      LEFT JOIN ip_tenants it ON v.tenant_id IS NULL AND it.ip_id = i.id
     WHERE i.approximate_cost > 0 AND i.id = ANY(:ids::uuid[])
),
vps_claims AS (
    SELECT v.id AS resource_id, round(v.approximate_cost * 100)::bigint AS cents,
           COALESCE(v.tenant_id, w.tenant_id) AS tenant_id, COALESCE(w.assignments, 1)::bigint AS weight
      FROM vps_instances v
      LEFT JOIN (
            SELECT i.vps_instance_id, it.tenant_id, sum(it.assignments)::bigint AS assignments
              FROM ip_tenants it JOIN smtp_ip_addresses i ON i.id = it.ip_id
             GROUP BY i.vps_instance_id, it.tenant_id
      ) w ON v.tenant_id IS NULL AND w.vps_instance_id = v.id
     WHERE v.approximate_cost > 0 AND v.id = ANY(:ids::uuid[])
),
claims AS (
    SELECT 'vps'::text AS kind, * FROM vps_claims
    UNION ALL
    SELECT 'ip'::text AS kind, * FROM ip_claims
),
shares AS (
    SELECT kind, resource_id, tenant_id, cents, weight, sum(weight) OVER r AS weights,
           (cents * weight) / (sum(weight) OVER r)::bigint AS base,
           (cents * weight) % (sum(weight) OVER r)::bigint AS remainder
      FROM claims
    WINDOW r AS (PARTITION BY kind, resource_id)
),
split AS (
    SELECT kind, resource_id, tenant_id, cents, weight, weights,
           base + CASE WHEN row_number() OVER (PARTITION BY kind, resource_id ORDER BY remainder DESC, tenant_id NULLS LAST)
                            <= cents - sum(base) OVER (PARTITION BY kind, resource_id) THEN 1 ELSE 0 END AS share
      FROM shares
)
SELECT s.kind,
       s.resource_id::text AS "resourceId",
       COALESCE(v.hostwinds_instance_id, i.ip_address) AS label,
       s.tenant_id::text AS "tenantId",
       (s.cents / 100.0)::numeric(14,2)::text AS "resourceCost",
       s.weight::int AS weight,
       s.weights::int AS weights,
       (s.share / 100.0)::numeric(14,2)::text AS share
  FROM split s
  LEFT JOIN vps_instances v ON s.kind = 'vps' AND v.id = s.resource_id
  LEFT JOIN smtp_ip_addresses i ON s.kind = 'ip' AND i.id = s.resource_id
 ORDER BY s.kind DESC, s.resource_id, s.tenant_id NULLS LAST
