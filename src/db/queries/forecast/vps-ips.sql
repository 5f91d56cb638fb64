-- The IPs of the given VPS (for their tenants' shares of a known change).
SELECT id::text, vps_instance_id::text AS "vpsId" FROM smtp_ip_addresses WHERE vps_instance_id = ANY(:ids::uuid[])
