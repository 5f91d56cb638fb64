-- Prisma refuses to migrate a non-empty schema that has no _prisma_migrations (P3005, "baseline
-- first"). Production is exactly that: the application owns the tables already. Our migrations are
-- no-ops on what exists, so we create Prisma's bookkeeping table (its own DDL) and let every
-- migration run once; `prisma migrate deploy` reads the same table afterwards.
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)
