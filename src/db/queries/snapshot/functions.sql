-- The schema snapshot: the current schema's functions and procedures (not an extension's), their
-- arguments, result, SECURITY DEFINER, settings, and a digest of their body (the text as written).
SELECT p.proname::text AS name,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       COALESCE(pg_get_function_result(p.oid), '') AS result,
       p.prosecdef AS security_definer,
       COALESCE(array_to_string(p.proconfig, ', '), '') AS settings,
       md5(p.prosrc) AS body_md5
  FROM pg_proc p
 WHERE p.pronamespace = current_schema()::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
 ORDER BY p.proname COLLATE "C", pg_get_function_identity_arguments(p.oid) COLLATE "C"
