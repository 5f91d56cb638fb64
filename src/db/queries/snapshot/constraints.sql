-- The schema snapshot: the constraints of the current schema's tables, as pg_get_constraintdef prints them.
SELECT c.relname::text AS table, k.conname::text AS name, pg_get_constraintdef(k.oid) AS definition
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
 WHERE c.relnamespace = current_schema()::regnamespace
 ORDER BY c.relname COLLATE "C", k.conname COLLATE "C"
