-- Tenants whose display name or own name contains :name (trimmed, case-insensitive): the hint
-- after a name that matched none (strpos, not LIKE: a % or _ in the name is just a character).
SELECT n.tenant_id::text AS id,
       COALESCE(n.display_name, n.tenant_id::text) AS name
  FROM tenant_display_names n
 WHERE strpos(lower(n.display_name), lower(btrim(:name))) > 0
    OR strpos(lower(n.tenant_name), lower(btrim(:name))) > 0
 ORDER BY n.display_name, n.tenant_id
 LIMIT :limit
