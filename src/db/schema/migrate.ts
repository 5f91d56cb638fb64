import { withPgClient } from "../../infrastructure.js";
import { pgQuery, statement } from "../sql.js";
import { MIGRATIONS_DIR, readMigrations } from "./migration-files.js";
import { withSchemaEngine } from "./schema-engine.js";

/** Our own advisory lock key ("cost" in ASCII): distinct from Prisma's own. */
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

const PRISMA_MIGRATIONS_TABLE = statement("migrate/prisma-migrations-table");
const SEED_IP_CONSTANT = statement<{ usd: string }>("migrate/seed-ip-constant");
const LOCK = statement<{ key: number }>("migrate/lock");
const UNLOCK = statement<{ key: number }>("migrate/unlock");

/**
 * Applies pending migrations with Prisma's schema engine (WebAssembly), which records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. A session advisory lock held on a
 * separate connection makes concurrent deploys queue up instead of interleaving.
 */
export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  return withPgClient(opts.databaseUrl, async (lock) => {
    await pgQuery(lock, LOCK, { key: MIGRATE_LOCK_KEY });
    try {
      await pgQuery(lock, PRISMA_MIGRATIONS_TABLE, {});
      const applied = await applyAll(opts.databaseUrl, opts.log);
      if (applied.some((n) => n.endsWith("_smtp_ip_cost_constant"))) {
        await pgQuery(lock, SEED_IP_CONSTANT, { usd: opts.smtpIpMonthlyCostUsd });
      }
      return { applied, elapsedMs: performance.now() - started };
    } finally {
      await pgQuery(lock, UNLOCK, { key: MIGRATE_LOCK_KEY }).catch(() => undefined);
    }
  });
}

async function applyAll(databaseUrl: string, log: ((msg: string) => void) | undefined): Promise<string[]> {
  const migrations = await readMigrations();
  return withSchemaEngine(
    databaseUrl,
    async (engine) => {
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
    },
    log,
  );
}
