import { pgTransaction } from "../db/sql.js";
import { withPgClient } from "../infrastructure.js";
import {
  ATTRIBUTION_MATVIEW,
  SNAPSHOT_MATVIEW,
  BASE_MIGRATION_SUFFIX,
  COST_COLUMNS,
  COST_CONSTRAINTS,
  COST_INDEXES,
  COST_VIEWS,
  EVENT_TRIGGERS,
} from "./objects.js";

export interface RollbackPlan {
  statements: string[];
}

/**
 * The seed's emergency rollback: views, indexes, constraints (and our event
 * triggers, which would otherwise keep queuing syncs). Cost columns and their
 * data stay unless `dropColumns`. The migrations it undoes are unrecorded in
 * `_prisma_migrations`, so `migrate` re-applies them (each is rerunnable).
 */
export function planRollback(dropColumns: boolean): RollbackPlan {
  const statements = [
    ...COST_VIEWS.map((v) => `DROP VIEW IF EXISTS ${v} CASCADE`),
    `DROP MATERIALIZED VIEW IF EXISTS ${SNAPSHOT_MATVIEW} CASCADE`,
    `DROP MATERIALIZED VIEW IF EXISTS ${ATTRIBUTION_MATVIEW} CASCADE`,
    ...COST_INDEXES.map((i) => `DROP INDEX IF EXISTS ${i}`),
    ...COST_CONSTRAINTS.map((k) => `ALTER TABLE ${k.table} DROP CONSTRAINT IF EXISTS ${k.name}`),
    ...EVENT_TRIGGERS.map((t) => `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}`),
  ];
  if (dropColumns) {
    for (const [table, columns] of Object.entries(COST_COLUMNS)) {
      statements.push(`ALTER TABLE ${table} ${columns.map((c) => `DROP COLUMN IF EXISTS ${c}`).join(", ")}`);
    }
  }
  statements.push(
    `DELETE FROM _prisma_migrations WHERE right(migration_name, ${BASE_MIGRATION_SUFFIX.length}) <> '${BASE_MIGRATION_SUFFIX}'`,
  );
  return { statements };
}

/** Executes the plan in one transaction: all of it or none of it. */
export async function rollback(databaseUrl: string, plan: RollbackPlan): Promise<void> {
  await withPgClient(databaseUrl, async (client) => {
    await pgTransaction(client, async (tx) => {
      for (const s of plan.statements) await tx.query(s);
    });
  });
}
