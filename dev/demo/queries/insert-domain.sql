INSERT INTO domains (tenant_id, company_id, domain) SELECT :tenantId::uuid, id, :domain FROM companies WHERE tenant_id = :tenantId::uuid
