import type pg from "pg";
import { withPgClient } from "../infrastructure.js";
import { ATTRIBUTION_MATVIEW, COST_CONSTRAINTS, COST_INDEXES, COST_VIEWS, SNAPSHOT_MATVIEW } from "./objects.js";
import { IP_COST_CONFIG_KEY } from "../db/setting-keys.js";
import { COST_COLUMNS_TYPE, sqlType } from "../cost-columns.js";
import { query, statement, type NoParams } from "../db/sql.js";
import { readMigrations } from "./migration-files.js";
import { DATA_CHECKS } from "./verify-data.js";
import { fail, pass, type Check, type CheckResult, type Outcome } from "./verify-result.js";

export type { CheckResult, CheckStatus } from "./verify-result.js";

const COST_COLUMN = statement<
  { table: string },
  { type: string; nullable: boolean; default: string | null; comment: string | null }
>("verify/cost-column");
const CONSTRAINT_EXISTS = statement<{ name: string; table: string }, { ok: boolean }>("verify/constraint-exists");
const RELATION_EXISTS = statement<{ name: string }, { ok: boolean }>("verify/relation-exists");
const RELATION_COMMENTED = statement<{ name: string }, { ok: boolean }>("verify/relation-commented");
const APPLIED_MIGRATIONS = statement<NoParams, { names: string[] | null }>("verify/applied-migrations");
const SETTING_TEXT = statement<{ key: string }, { v: string | null }>("settings/get-text");
const SETTING_CHANGES = statement<NoParams, { ok: boolean }>("verify/setting-changes");

/** The seed's "Migration Verification": expected type/default/nullability of each cost column. */
const costColumnCheck = (table: string, type: string): Check => ({
  name: `${table}.approximate_cost is ${type}, NULL allowed, DEFAULT 0.00, commented`,
  async run(c) {
    const col = (await query(c, COST_COLUMN, { table }))[0];
    if (!col) return fail("column missing");
    const problems = [
      col.type !== type && `type is ${col.type}`,
      !col.nullable && "NOT NULL",
      !/^0\.00(::numeric)?$/.test(String(col.default)) && `default is ${String(col.default)}`,
      !col.comment?.match(/Not authoritative/i) && "business comment missing",
    ].filter((p): p is string => typeof p === "string");
    return problems.length ? fail(problems.join("; ")) : pass();
  },
});

const flagCheck = (name: string, run: (c: pg.Client) => Promise<boolean>): Check => ({
  name,
  run: async (c): Promise<Outcome> => ((await run(c)) ? pass() : fail("missing")),
});

const ok = (rows: { ok: boolean }[]) => rows[0]?.ok === true;

const ipConstantCheck: Check = {
  name: `system_config ${IP_COST_CONFIG_KEY} holds a USD amount`,
  async run(c) {
    if (!ok(await query(c, RELATION_EXISTS, { name: "system_config" }))) return fail("system_config missing");
    const v = (await query(c, SETTING_TEXT, { key: IP_COST_CONFIG_KEY }))[0]?.v ?? undefined;
    const valid = v !== undefined && /^\d+(\.\d{1,2})?$/.test(v);
    return valid ? pass(`${v} USD/month`) : fail(`value is ${v ?? "missing"}`);
  },
};

const migrationsAppliedCheck: Check = {
  name: "every migration in prisma/migrations is applied",
  async run(c) {
    const local = (await readMigrations()).map((m) => m.name);
    // The statement's CASE does not keep PostgreSQL from resolving the table: look first.
    if (!ok(await query(c, RELATION_EXISTS, { name: "_prisma_migrations" }))) return fail("_prisma_migrations missing");
    const names = (await query(c, APPLIED_MIGRATIONS, {}))[0]?.names;
    if (names === null || names === undefined) return fail("_prisma_migrations missing");
    const applied = new Set(names);
    const missing = local.filter((n) => !applied.has(n));
    return missing.length ? fail(`pending: ${missing.join(", ")}`) : pass();
  },
};

/** The seed's checks of the objects (22 of them), then the checks of the data (verify-data.ts). */
const CHECKS: Check[] = [
  costColumnCheck(COST_COLUMNS_TYPE.vps.table, sqlType("vps")),
  costColumnCheck(COST_COLUMNS_TYPE.ip.table, sqlType("ip")),
  ...COST_CONSTRAINTS.map((k) =>
    flagCheck(`constraint ${k.name} on ${k.table}`, async (c) =>
      ok(await query(c, CONSTRAINT_EXISTS, { name: k.name, table: k.table })),
    ),
  ),
  ...COST_INDEXES.map((i) => flagCheck(`index ${i}`, async (c) => ok(await query(c, RELATION_EXISTS, { name: i })))),
  flagCheck(
    "cost_history table with its retry-proof unique key",
    async (c) =>
      ok(await query(c, RELATION_EXISTS, { name: "cost_history" })) &&
      ok(await query(c, RELATION_EXISTS, { name: "uq_cost_history_change" })),
  ),
  ipConstantCheck,
  ...[...COST_VIEWS, ATTRIBUTION_MATVIEW, SNAPSHOT_MATVIEW].map((v) =>
    flagCheck(`view ${v} exists and is commented`, async (c) => ok(await query(c, RELATION_COMMENTED, { name: v }))),
  ),
  migrationsAppliedCheck,
  flagCheck("cost_sync_setting_changes table and cost_history.changed_by (who changed what)", async (c) =>
    ok(await query(c, SETTING_CHANGES, {})),
  ),
  ...DATA_CHECKS,
];

/**
 * Runs every check, PASS, WARN or FAIL each. Never throws for what it finds, nor for what it cannot
 * read (a missing table is a FAIL with PostgreSQL's message): only for a connection that broke.
 */
export async function verify(databaseUrl: string): Promise<CheckResult[]> {
  return withPgClient(databaseUrl, async (client) => {
    const results: CheckResult[] = [];
    for (const check of CHECKS) {
      try {
        results.push({ name: check.name, ...(await check.run(client)) });
      } catch (err) {
        if (!(err instanceof Error && "severity" in err)) throw err; // not PostgreSQL's answer: the connection broke
        results.push({ name: check.name, status: "FAIL", detail: `could not check: ${err.message}` });
      }
    }
    return results;
  });
}
