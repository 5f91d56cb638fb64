-- Prisma's record of migrations (only read once the table is known to exist).
SELECT migration_name::text AS name,
       finished_at IS NOT NULL AS finished,
       rolled_back_at IS NOT NULL AS rolled_back
  FROM _prisma_migrations
 ORDER BY started_at, migration_name
