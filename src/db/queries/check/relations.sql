-- Each named relation as the migrations' unqualified names resolve it (search_path): its kind,
-- whether the connecting role owns it (directly or through a role it inherits), row-level
-- security, the policies that apply to the role, the privileges it holds, and an index's table.
SELECT n.name,
       c.relkind::text AS kind,
       pg_has_role(current_user, c.relowner, 'USAGE') AS owned,
       c.relrowsecurity AS rls,
       c.relforcerowsecurity AS force_rls,
       EXISTS (SELECT 1 FROM pg_policy p
                WHERE p.polrelid = c.oid
                  AND (0::oid = ANY (p.polroles)
                       OR EXISTS (SELECT 1 FROM unnest(p.polroles) r
                                   WHERE r <> 0 AND pg_has_role(current_user, r, 'USAGE')))) AS policies,
       CASE WHEN c.relkind IN ('r', 'p', 'v', 'm', 'f') THEN
            array_remove(ARRAY[CASE WHEN has_table_privilege(c.oid, 'SELECT') THEN 'SELECT' END,
                               CASE WHEN has_table_privilege(c.oid, 'INSERT') THEN 'INSERT' END,
                               CASE WHEN has_table_privilege(c.oid, 'UPDATE') THEN 'UPDATE' END], NULL)
       END AS privileges,
       (SELECT t.relname::text FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE i.indexrelid = c.oid) AS index_table
  FROM unnest(:names::text[]) AS n(name)
  JOIN pg_class c ON c.oid = to_regclass(n.name)
