import type { MigrationSource } from "../migration-files.js";
import type { Catalog } from "./catalog.js";
import type { Finding, PendingMigration } from "./report.js";

/**
 * The one applied migration that cannot run on most production schemas: it writes a text literal
 * into system_config.updated_by, which is usually uuid REFERENCES users(id) (docs/first-deployment.md).
 */
export const CONSTANT_MIGRATION = "20261101000300_smtp_ip_cost_constant";

const TEXT_TYPES = /^(text|character varying|character)\b/;

/**
 * Why 0300 is to be marked applied without running, or undefined when it can run: system_config
 * exists and its updated_by is not a text type (or is missing). 20261126100100 inserts the same
 * rows without updated_by.
 */
export function constantMigrationSkip(cat: Catalog): string | undefined {
  if (!cat.relations.has("system_config")) return undefined;
  const col = cat.columns.get("system_config")?.find((c) => c.column === "updated_by");
  if (col && TEXT_TYPES.test(col.type)) return undefined;
  return col
    ? `system_config.updated_by is ${col.type}, where its text literal fails; 20261126100100_cost_sync_settings_rows inserts the same rows without it`
    : "system_config has no updated_by column; 20261126100100_cost_sync_settings_rows inserts the same rows without it";
}

/** The migrations not yet applied, in order, each with what `migrate` will do with it. */
export function pendingMigrations(local: readonly MigrationSource[], cat: Catalog): PendingMigration[] {
  const applied = new Set((cat.history ?? []).filter((h) => h.finished && !h.rolled_back).map((h) => h.name));
  const skip = constantMigrationSkip(cat);
  return local
    .filter((m) => !applied.has(m.name))
    .map((m) =>
      m.name === CONSTANT_MIGRATION && skip !== undefined
        ? { name: m.name, action: "mark-applied", why: skip }
        : { name: m.name, action: "apply" },
    );
}

/**
 * A migration recorded as failed stops Prisma (P3009) until it is resolved — except 0300 where it
 * is to be marked applied, which resolves it. Records of migrations that are not cost-sync's
 * mean another Prisma project migrates this schema: cost-sync's would be added to its history.
 */
export function historyFindings(local: readonly MigrationSource[], cat: Catalog, pending: PendingMigration[]) {
  const findings: Finding[] = [];
  const markApplied = new Set(pending.filter((p) => p.action === "mark-applied").map((p) => p.name));
  for (const h of cat.history ?? []) {
    if (h.finished || h.rolled_back || markApplied.has(h.name)) continue;
    findings.push({
      severity: "block",
      topic: "failed migration",
      object: "_prisma_migrations",
      problem: `${h.name} is recorded as failed; Prisma applies nothing until it is resolved`,
      fix: `fix its cause (this report, or the error \`migrate\` printed), then \`npx cost-sync migrate --mark-rolled-back ${h.name}\` (each cost-sync migration runs as one transaction and is rerunnable, so \`migrate\` runs it again from the start)`,
    });
  }
  const ours = new Set(local.map((m) => m.name));
  const foreign = [...new Set((cat.history ?? []).map((h) => h.name).filter((n) => !ours.has(n)))];
  if (foreign.length) {
    findings.push({
      severity: "warn",
      topic: "migration history",
      object: "_prisma_migrations",
      ids: foreign.slice(0, 20),
      count: foreign.length,
      problem: `${String(foreign.length)} recorded migrations are not cost-sync's: another Prisma project migrates this schema, and cost-sync's migrations will be recorded beside its own`,
      fix: "agree with the application's owners before migrating: their `prisma migrate dev`/`status` will list cost-sync's migrations as unknown (docs/first-deployment.md, \"Migration history\")",
    });
  }
  return findings;
}
