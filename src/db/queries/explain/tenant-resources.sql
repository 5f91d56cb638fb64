-- Every VPS and IP whose cost may fall (partly) on one tenant: its dedicated VPS and their IPs, the
-- IPs its domains hold active or warming assignments on, and the VPS of those IPs.
SELECT v.id::text FROM vps_instances v WHERE v.tenant_id = :tenantId::uuid
UNION
SELECT i.id::text FROM smtp_ip_addresses i JOIN vps_instances v ON v.id = i.vps_instance_id
 WHERE v.tenant_id = :tenantId::uuid
UNION
SELECT unnest(ARRAY[i.id::text, i.vps_instance_id::text])
  FROM domain_ip_assignments a
  JOIN domains d ON d.id = a.domain_id
  JOIN smtp_ip_addresses i ON i.id = a.smtp_ip_address_id
 WHERE d.tenant_id = :tenantId::uuid AND a.status IN ('active', 'warming') AND i.vps_instance_id IS NOT NULL
UNION
SELECT i.id::text
  FROM domain_ip_assignments a
  JOIN domains d ON d.id = a.domain_id
  JOIN smtp_ip_addresses i ON i.id = a.smtp_ip_address_id
 WHERE d.tenant_id = :tenantId::uuid AND a.status IN ('active', 'warming')
