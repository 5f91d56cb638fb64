-- The schema snapshot (npm run schema:snapshot): the tables, views and materialised views of the
-- current schema, with their kind.
SELECT c.relname::text AS name, c.relkind::text AS kind
  FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace
   AND c.relkind IN ('r', 'p', 'v', 'm')
 ORDER BY c.relname COLLATE "C"
