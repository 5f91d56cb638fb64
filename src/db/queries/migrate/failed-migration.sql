-- The migration Prisma's engine last recorded as failed (started, neither finished nor rolled back).
SELECT migration_name::text AS name
  FROM _prisma_migrations
 WHERE finished_at IS NULL AND rolled_back_at IS NULL
 ORDER BY started_at DESC
 LIMIT 1
