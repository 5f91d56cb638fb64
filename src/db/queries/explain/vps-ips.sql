-- The IPs of one VPS with their costs, and how many tenants hold an active or warming assignment on each.
SELECT i.id::text,
       i.ip_address AS address,
       i.status,
       i.approximate_cost::text AS cost,
       i.approximate_cost_source AS source,
       i.approximate_cost_override::text AS override,
       (SELECT count(DISTINCT d.tenant_id)::int
          FROM domain_ip_assignments a JOIN domains d ON d.id = a.domain_id
         WHERE a.smtp_ip_address_id = i.id AND a.status IN ('active', 'warming')) AS tenants
  FROM smtp_ip_addresses i
 WHERE i.vps_instance_id = :id::uuid
 ORDER BY i.ip_address, i.id
