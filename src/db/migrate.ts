import pg from "pg";
import { MIGRATIONS_DIR, readMigrations } from "./migrations.js";
import { withSchemaEngine } from "./schema-engine.js";

/** Our own advisory lock key ("costsync" in ASCII, truncated): distinct from Prisma's own. */
export const MIGRATE_LOCK_KEY = 0x636f7374;

export interface MigrateResult {
  applied: string[];
  elapsedMs: number;
}

export interface MigrateOptions {
  databaseUrl: string;
  /** SMTP_IP_MONTHLY_COST_USD: first value of the IP constant when its migration is first applied. */
  smtpIpMonthlyCostUsd: string;
  log?: (msg: string) => void;
}

/**
 * Applies pending migrations with Prisma's schema engine (WebAssembly), which
 * records them in `_prisma_migrations` exactly as `prisma migrate deploy` does.
 * A session advisory lock held on a separate connection makes concurrent
 * deploys queue up instead of interleaving.
 */
export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  const lockClient = new pg.Client({ connectionString: opts.databaseUrl });
  await lockClient.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK_KEY]);
    await lockClient.query(PRISMA_MIGRATIONS_TABLE);
    const migrations = await readMigrations();
    const appliedMigrationNames = await withSchemaEngine(opts.databaseUrl, async (engine) => {
      const out = await engine.applyMigrations({
        migrationsList: {
          baseDir: MIGRATIONS_DIR,
          lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"\n' },
          shadowDbInitScript: "",
          migrationDirectories: migrations.map((m) => ({
            path: m.name,
            migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
          })),
        },
        filters: { externalTables: [], externalEnums: [] },
      });
      return out.appliedMigrationNames;
    }, opts.log);
    if (appliedMigrationNames.some((n) => n.endsWith("_smtp_ip_cost_constant"))) {
      await seedIpConstant(lockClient, opts.smtpIpMonthlyCostUsd);
    }
    return { applied: appliedMigrationNames, elapsedMs: performance.now() - started };
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK_KEY]).catch(() => {});
    await lockClient.end();
  }
}

/**
 * Prisma refuses to migrate a non-empty schema that has no `_prisma_migrations`
 * (P3005, "baseline first"). Production is exactly that: the application owns
 * the tables already. Our migrations are written to be no-ops on what exists,
 * so we create Prisma's bookkeeping table (its own DDL) and let every migration
 * run once. `prisma migrate deploy` reads the same table afterwards.
 */
const PRISMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** First fill of the IP constant from the environment; Finance owns it afterwards. */
async function seedIpConstant(client: pg.Client, usd: string): Promise<void> {
  await client.query(
    `UPDATE system_config SET value = to_jsonb($1::text), updated = now(), updated_by = 'migration (SMTP_IP_MONTHLY_COST_USD)'
      WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd' AND updated_by = 'migration'`,
    [usd],
  );
}
