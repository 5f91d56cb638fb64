INSERT INTO companies (tenant_id, name, workspace_name) VALUES (:tenantId::uuid, :name, :workspace)
