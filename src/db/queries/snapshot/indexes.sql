-- The schema snapshot: the indexes of the current schema, their table, definition, and whether a
-- constraint (primary key, unique, exclusion) made it rather than a CREATE INDEX.
SELECT i.relname::text AS name,
       t.relname::text AS table,
       pg_get_indexdef(i.oid) AS definition,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid AND k.conrelid = t.oid) AS of_constraint
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
 WHERE t.relnamespace = current_schema()::regnamespace
 ORDER BY i.relname COLLATE "C"
