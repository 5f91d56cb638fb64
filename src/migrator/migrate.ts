import type pg from "pg";
import { operatorOf } from "../operator.js";
import { withPgClient } from "../infrastructure.js";
import { IP_COST_CONFIG_KEY } from "../db/setting-keys.js";
import { query, statement } from "../db/sql.js";
import { applyPending } from "./apply.js";
import { inspectDatabase } from "./check/inspect.js";
import { formatReport, type CheckReport, type Finding, type PendingMigration } from "./check/report.js";
import { MIGRATIONS_DIR, readMigrations } from "./migration-files.js";

/** Our own advisory lock key ("cost" in ASCII): distinct from Prisma's own. */
export const MIGRATE_LOCK_KEY = 0x636f7374;

export interface MigrateResult {
  applied: string[];
  /** Migrations recorded as applied without running (docs/first-deployment.md). */
  markedApplied: PendingMigration[];
  /** What the check found that does not stop a migration. */
  warnings: Finding[];
  elapsedMs: number;
}

export interface MigrateOptions {
  databaseUrl: string;
  /** SMTP_IP_MONTHLY_COST_USD: first value of the IP constant, when this run creates it. */
  smtpIpMonthlyCostUsd: string;
  /** Who runs it (COST_SYNC_OPERATOR, else the OS user): recorded with the first value of the IP constant. */
  operator?: string;
  /** Migrations directory; tests give their own. */
  dir?: string;
  log?: (msg: string) => void;
}

/** `migrate` refused before writing anything; the message is the check's report. */
export class MigrateRefusedError extends Error {
  override name = "MigrateRefusedError";
  constructor(readonly report: CheckReport) {
    super(formatReport(report).trimEnd());
  }
}

const PRISMA_MIGRATIONS_TABLE = statement("migrate/prisma-migrations-table");
const SEED_IP_CONSTANT = statement<{ key: string; usd: string; changedBy: string }>("migrate/seed-ip-constant");
const RELATION_EXISTS = statement<{ name: string }, { ok: boolean }>("verify/relation-exists");
const SETTING_TEXT = statement<{ key: string }, { v: string | null }>("settings/get-text");
const LOCK = statement<{ key: number }>("migrate/lock");
const UNLOCK = statement<{ key: number }>("migrate/unlock");

/**
 * Applies pending migrations with Prisma's schema engine (WebAssembly), which records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. A session advisory lock held on a
 * separate connection makes concurrent deploys queue up instead of interleaving. Before writing
 * anything it runs `migrate --check`'s inspection and refuses with its report when the database
 * is not ready, rather than failing half-way.
 */
export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const started = performance.now();
  const dir = opts.dir ?? MIGRATIONS_DIR;
  const migrations = await readMigrations(dir);
  return withPgClient(opts.databaseUrl, async (lock) => {
    await query(lock, LOCK, { key: MIGRATE_LOCK_KEY });
    try {
      const report = await inspectDatabase(lock, migrations);
      if (!report.ready) throw new MigrateRefusedError(report);
      const warnings = report.findings;
      const markedApplied = report.pending.filter((p) => p.action === "mark-applied");
      if (report.pending.length === 0) return { applied: [], markedApplied, warnings, elapsedMs: elapsed(started) };
      await query(lock, PRISMA_MIGRATIONS_TABLE, {});
      const hadConstant = await ipConstantExists(lock);
      const applied = await applyPending({
        databaseUrl: opts.databaseUrl,
        dir,
        migrations,
        markApplied: markedApplied,
        log: opts.log,
      });
      if (!hadConstant && (await ipConstantExists(lock))) {
        const changedBy = opts.operator ?? operatorOf({});
        await query(lock, SEED_IP_CONSTANT, { key: IP_COST_CONFIG_KEY, usd: opts.smtpIpMonthlyCostUsd, changedBy });
      }
      return { applied, markedApplied, warnings, elapsedMs: elapsed(started) };
    } finally {
      await query(lock, UNLOCK, { key: MIGRATE_LOCK_KEY }).catch(() => undefined);
    }
  });
}

const elapsed = (started: number) => performance.now() - started;

/**
 * Whether the IP constant's row exists. Read before and after applying: the run that creates it
 * gives it its first value, so Finance's value is never replaced (and no marker in the
 * application's system_config.updated_by is needed).
 */
async function ipConstantExists(c: pg.Client): Promise<boolean> {
  if ((await query(c, RELATION_EXISTS, { name: "system_config" }))[0]?.ok !== true) return false;
  return (await query(c, SETTING_TEXT, { key: IP_COST_CONFIG_KEY })).length > 0;
}
