import type pg from "pg";
import { withPgClient } from "../../infrastructure.js";
import {
  ATTRIBUTION_MATVIEW,
  COST_CONSTRAINTS,
  COST_INDEXES,
  COST_VIEWS,
  IP_COST_CONFIG_KEY,
  SNAPSHOT_MATVIEW,
} from "../objects.js";
import { COST_COLUMNS_TYPE, sqlType } from "../cost-columns.js";
import { pgQuery, statement, type NoParams } from "../sql.js";
import { readMigrations } from "./migration-files.js";

export interface CheckResult {
  name: string;
  pass: boolean;
  detail: string;
}

type Check = (c: pg.Client) => Promise<CheckResult>;

const COST_COLUMN = statement<
  { table: string },
  { type: string; nullable: boolean; default: string | null; comment: string | null }
>("verify/cost-column");
const CONSTRAINT_EXISTS = statement<{ name: string; table: string }, { ok: boolean }>("verify/constraint-exists");
const RELATION_EXISTS = statement<{ name: string }, { ok: boolean }>("verify/relation-exists");
const RELATION_COMMENTED = statement<{ name: string }, { ok: boolean }>("verify/relation-commented");
const APPLIED_MIGRATIONS = statement<NoParams, { names: string[] | null }>("verify/applied-migrations");
const SETTING_TEXT = statement<{ key: string }, { v: string | null }>("settings/get-text");

/** The seed's "Migration Verification": expected type/default/nullability of each cost column. */
const costColumnCheck =
  (table: string, type: string): Check =>
  async (c) => {
    const col = (await pgQuery(c, COST_COLUMN, { table })).rows[0];
    const name = `${table}.approximate_cost is ${type}, NULL allowed, DEFAULT 0.00, commented`;
    if (!col) return { name, pass: false, detail: "column missing" };
    const problems = [
      col.type !== type && `type is ${col.type}`,
      !col.nullable && "NOT NULL",
      !/^0\.00(::numeric)?$/.test(String(col.default)) && `default is ${String(col.default)}`,
      !col.comment?.match(/Not authoritative/i) && "business comment missing",
    ].filter((p): p is string => typeof p === "string");
    return { name, pass: problems.length === 0, detail: problems.join("; ") || "ok" };
  };

const flagCheck =
  (name: string, run: (c: pg.Client) => Promise<boolean>): Check =>
  async (c) => {
    const ok = await run(c);
    return { name, pass: ok, detail: ok ? "ok" : "missing" };
  };

const ok = (r: { rows: { ok: boolean }[] }) => r.rows[0]?.ok === true;

const ipConstantCheck: Check = async (c) => {
  const name = `system_config ${IP_COST_CONFIG_KEY} holds a USD amount`;
  if (!ok(await pgQuery(c, RELATION_EXISTS, { name: "system_config" })))
    return { name, pass: false, detail: "system_config missing" };
  const v = (await pgQuery(c, SETTING_TEXT, { key: IP_COST_CONFIG_KEY })).rows[0]?.v ?? undefined;
  const valid = v !== undefined && /^\d+(\.\d{1,2})?$/.test(v);
  return { name, pass: valid, detail: valid ? `${v} USD/month` : `value is ${v ?? "missing"}` };
};

const migrationsAppliedCheck: Check = async (c) => {
  const name = "every migration in prisma/migrations is applied";
  const local = (await readMigrations()).map((m) => m.name);
  // The statement's CASE does not keep PostgreSQL from resolving the table: look first.
  if (!ok(await pgQuery(c, RELATION_EXISTS, { name: "_prisma_migrations" })))
    return { name, pass: false, detail: "_prisma_migrations missing" };
  const names = (await pgQuery(c, APPLIED_MIGRATIONS, {})).rows[0]?.names;
  if (names === null || names === undefined) return { name, pass: false, detail: "_prisma_migrations missing" };
  const applied = new Set(names);
  const missing = local.filter((n) => !applied.has(n));
  return { name, pass: missing.length === 0, detail: missing.length ? `pending: ${missing.join(", ")}` : "ok" };
};

const CHECKS: Check[] = [
  costColumnCheck(COST_COLUMNS_TYPE.vps.table, sqlType("vps")),
  costColumnCheck(COST_COLUMNS_TYPE.ip.table, sqlType("ip")),
  ...COST_CONSTRAINTS.map((k) =>
    flagCheck(`constraint ${k.name} on ${k.table}`, async (c) =>
      ok(await pgQuery(c, CONSTRAINT_EXISTS, { name: k.name, table: k.table })),
    ),
  ),
  ...COST_INDEXES.map((i) => flagCheck(`index ${i}`, async (c) => ok(await pgQuery(c, RELATION_EXISTS, { name: i })))),
  flagCheck(
    "cost_history table with its retry-proof unique key",
    async (c) =>
      ok(await pgQuery(c, RELATION_EXISTS, { name: "cost_history" })) &&
      ok(await pgQuery(c, RELATION_EXISTS, { name: "uq_cost_history_change" })),
  ),
  ipConstantCheck,
  ...[...COST_VIEWS, ATTRIBUTION_MATVIEW, SNAPSHOT_MATVIEW].map((v) =>
    flagCheck(`view ${v} exists and is commented`, async (c) => ok(await pgQuery(c, RELATION_COMMENTED, { name: v }))),
  ),
  migrationsAppliedCheck,
];

/**
 * Runs every check; never throws for a failed check, only for a broken connection. A check that
 * cannot run (an object it reads is missing) is a FAIL with PostgreSQL's message.
 */
export async function verify(databaseUrl: string): Promise<CheckResult[]> {
  return withPgClient(databaseUrl, async (client) => {
    const results: CheckResult[] = [];
    for (const [i, check] of CHECKS.entries()) {
      try {
        results.push(await check(client));
      } catch (e) {
        if (!(e instanceof Error && "severity" in e)) throw e; // not PostgreSQL's answer: the connection broke
        results.push({ name: `check ${i + 1} could not run`, pass: false, detail: e.message });
      }
    }
    return results;
  });
}
