-- The schema snapshot: the triggers on the current schema's tables (not those behind constraints).
SELECT c.relname::text AS table, t.tgname::text AS name, pg_get_triggerdef(t.oid) AS definition
  FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid
 WHERE c.relnamespace = current_schema()::regnamespace
   AND NOT t.tgisinternal
 ORDER BY c.relname COLLATE "C", t.tgname COLLATE "C"
