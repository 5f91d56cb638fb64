-- Tenants whose display name or own name is :name, compared trimmed and case-insensitively.
SELECT n.tenant_id::text AS id,
       COALESCE(n.display_name, n.tenant_id::text) AS name
  FROM tenant_display_names n
 WHERE lower(btrim(n.display_name)) = lower(btrim(:name))
    OR lower(btrim(n.tenant_name)) = lower(btrim(:name))
 ORDER BY n.display_name, n.tenant_id
 LIMIT :limit
