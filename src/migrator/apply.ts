import { withPgClient } from "../infrastructure.js";
import { query, statement } from "../db/sql.js";
import type { PendingMigration } from "./check/report.js";
import {
  explainFailure,
  isAtomic,
  MigrationEngineError,
  MigrationFailedError,
  engineMessage,
} from "./migration-failure.js";
import type { MigrationSource } from "./migration-files.js";
import { migrationsList, withSchemaEngine } from "./schema-engine.js";

const FAILED_MIGRATION = statement<Record<string, never>, { name: string }>("migrate/failed-migration");

export interface ApplyOptions {
  databaseUrl: string;
  dir: string;
  migrations: readonly MigrationSource[];
  /** Pending migrations to record as applied without running them (what `prisma migrate resolve --applied` does). */
  markApplied: readonly PendingMigration[];
  log?: (msg: string) => void;
}

/**
 * Marks what is to be skipped, then applies the pending migrations with Prisma's schema engine,
 * which records them in `_prisma_migrations` as `prisma migrate deploy` does. A failure is
 * explained in PostgreSQL's words (MigrationFailedError); an atomic migration that failed is
 * recorded as rolled back, as Prisma's `migrate resolve --rolled-back` would, so that the next
 * run retries it once the cause is fixed.
 */
export async function applyPending(o: ApplyOptions): Promise<string[]> {
  const list = migrationsList(o.dir, o.migrations);
  return withSchemaEngine(
    o.databaseUrl,
    async (engine, scriptErrors) => {
      for (const m of o.markApplied) await engine.markMigrationApplied({ migrationName: m.name, migrationsList: list });
      try {
        const out = await engine.applyMigrations({
          migrationsList: list,
          filters: { externalTables: [], externalEnums: [] },
        });
        return out.appliedMigrationNames;
      } catch (engineError) {
        const failed = await failedMigration(o);
        if (!failed) throw new MigrationEngineError(`migrate: ${engineMessage(engineError)}`, { cause: engineError });
        const failure = await explainFailure({
          databaseUrl: o.databaseUrl,
          migration: failed,
          scriptError: scriptErrors.last(),
          engineError,
        });
        const rolledBack = isAtomic(failed);
        if (rolledBack) await engine.markMigrationRolledBack({ migrationName: failed.name });
        throw new MigrationFailedError({ ...failure, rolledBack });
      }
    },
    o.log,
  );
}

/** The migration the engine has just recorded as failed, if any. */
async function failedMigration(o: ApplyOptions): Promise<MigrationSource | undefined> {
  const [row] = await withPgClient(o.databaseUrl, async (c) => await query(c, FAILED_MIGRATION, {}));
  return o.migrations.find((m) => m.name === row?.name);
}

/**
 * Records a failed migration as rolled back (`prisma migrate resolve --rolled-back`), so that the
 * next `migrate` runs it again from the start; Prisma refuses one that did not fail.
 */
export async function markRolledBack(databaseUrl: string, name: string): Promise<void> {
  await withSchemaEngine(databaseUrl, async (engine) => {
    try {
      await engine.markMigrationRolledBack({ migrationName: name });
    } catch (err) {
      throw new MigrationEngineError(`migrate --mark-rolled-back: ${engineMessage(err)}`, { cause: err });
    }
  });
}
