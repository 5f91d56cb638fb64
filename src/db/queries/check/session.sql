-- Who `migrate --check` is connected as, and what that role may do in general.
SELECT current_user::text AS role,
       current_database()::text AS database,
       current_schema()::text AS schema,
       r.rolsuper AS superuser,
       r.rolbypassrls AS bypass_rls,
       r.rolcreaterole AS create_role,
       COALESCE(has_schema_privilege(current_schema(), 'CREATE'), false) AS schema_create,
       ARRAY(SELECT g FROM unnest(:groups::text[]) g
              WHERE NOT EXISTS (SELECT 1 FROM pg_roles x WHERE x.rolname = g)) AS missing_roles
  FROM pg_roles r
 WHERE r.rolname = current_user
