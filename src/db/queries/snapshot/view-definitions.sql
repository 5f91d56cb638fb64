-- The schema snapshot: a digest of each view's and materialised view's query, as pg_get_viewdef prints it
-- (a view replaced with the same columns but another body changes it).
SELECT c.relname::text AS name, md5(pg_get_viewdef(c.oid)) AS definition_md5
  FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace
   AND c.relkind IN ('v', 'm')
 ORDER BY c.relname COLLATE "C"
