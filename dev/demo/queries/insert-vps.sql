INSERT INTO vps_instances (hostwinds_instance_id, status, tenant_id, region, monthly_cost)
VALUES (:serviceId, :status, :tenantId::uuid, :label, :monthlyCost) RETURNING id::text
