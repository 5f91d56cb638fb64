-- Migrations recorded as applied; NULL when _prisma_migrations does not exist yet.
SELECT CASE WHEN to_regclass('_prisma_migrations') IS NULL THEN NULL
            ELSE (SELECT array_agg(migration_name::text) FROM _prisma_migrations
                   WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL) END AS names
