-- A tenant by uuid: a row of tenants, or a tenant id that only the attribution knows (domains and
-- dedicated VPS name tenants without a foreign key, so their cost can belong to a tenant id that the
-- auth layer's table lacks). The name is the display name, else the id itself.
SELECT k.id::text AS id,
       COALESCE(n.display_name, k.id::text) AS name
  FROM (SELECT :id::uuid AS id) k
  LEFT JOIN tenant_display_names n ON n.tenant_id = k.id
 WHERE n.tenant_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM cost_attribution_by_tenant a WHERE a.tenant_id = k.id)
