-- Gives a tenant assignments on IPs (what makes a shared VPS's cost theirs).
INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status, assigned)
SELECT d.id, ip, :status, now() FROM (SELECT id FROM domains WHERE tenant_id = :tenantId::uuid LIMIT 1) d, unnest(:ipIds::uuid[]) ip
