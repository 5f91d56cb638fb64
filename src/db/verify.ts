import pg from "pg";
import { readMigrations } from "./migrations.js";
import { ATTRIBUTION_MATVIEW, COST_CONSTRAINTS, COST_INDEXES, COST_VIEWS, IP_COST_CONFIG_KEY, SNAPSHOT_MATVIEW } from "./objects.js";

export interface CheckResult {
  name: string;
  pass: boolean;
  detail: string;
}

type Check = (c: pg.Client) => Promise<CheckResult>;

/** The seed's "Migration Verification": expected type/default/nullability of each cost column. */
const costColumnCheck =
  (table: string, type: string): Check =>
  async (c) => {
    const { rows } = await c.query(
      `SELECT format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
              pg_get_expr(d.adbin, d.adrelid) AS default, col_description(a.attrelid, a.attnum) AS comment
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = to_regclass($1) AND a.attname = 'approximate_cost' AND NOT a.attisdropped`,
      [table],
    );
    const col = rows[0];
    const name = `${table}.approximate_cost is ${type}, NULL allowed, DEFAULT 0.00, commented`;
    if (!col) return { name, pass: false, detail: "column missing" };
    const problems = [
      col.type !== type && `type is ${col.type}`,
      !col.nullable && "NOT NULL",
      !/^0\.00(::numeric)?$/.test(String(col.default)) && `default is ${col.default}`,
      !(col.comment && /Not authoritative/i.test(col.comment)) && "business comment missing",
    ].filter(Boolean);
    return { name, pass: problems.length === 0, detail: problems.join("; ") || "ok" };
  };

const existsCheck =
  (name: string, sql: string, params: unknown[]): Check =>
  async (c) => {
    const { rows } = await c.query(sql, params);
    const ok = rows[0]?.ok === true;
    return { name, pass: ok, detail: ok ? "ok" : "missing" };
  };

const CHECKS: Check[] = [
  costColumnCheck("vps_instances", "numeric(8,2)"),
  costColumnCheck("smtp_ip_addresses", "numeric(6,2)"),
  ...COST_CONSTRAINTS.map((k) =>
    existsCheck(
      `constraint ${k.name} on ${k.table}`,
      `SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = $1 AND conrelid = to_regclass($2)) AS ok`,
      [k.name, k.table],
    ),
  ),
  ...COST_INDEXES.map((i) =>
    existsCheck(`index ${i}`, `SELECT to_regclass($1) IS NOT NULL AS ok`, [i]),
  ),
  existsCheck(
    "cost_history table with its retry-proof unique key",
    `SELECT to_regclass('cost_history') IS NOT NULL AND to_regclass('uq_cost_history_change') IS NOT NULL AS ok`,
    [],
  ),
  async (c) => {
    const name = `system_config ${IP_COST_CONFIG_KEY} holds a USD amount`;
    const { rows } = await c.query(`SELECT value #>> '{}' AS v FROM system_config WHERE key = $1`, [IP_COST_CONFIG_KEY]);
    const v = rows[0]?.v as string | undefined;
    const ok = v !== undefined && /^\d+(\.\d{1,2})?$/.test(v);
    return { name, pass: ok, detail: ok ? `${v} USD/month` : `value is ${v ?? "missing"}` };
  },
  ...[...COST_VIEWS, ATTRIBUTION_MATVIEW, SNAPSHOT_MATVIEW].map((v) =>
    existsCheck(`view ${v} exists and is commented`, `SELECT to_regclass($1) IS NOT NULL AND obj_description(to_regclass($1), 'pg_class') IS NOT NULL AS ok`, [v]),
  ),
  async (c) => {
    const name = "every migration in prisma/migrations is applied";
    const local = (await readMigrations()).map((m) => m.name);
    const exists = (await c.query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok`)).rows[0].ok;
    if (!exists) return { name, pass: false, detail: "_prisma_migrations missing" };
    const { rows } = await c.query(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name as string));
    const missing = local.filter((n) => !applied.has(n));
    return { name, pass: missing.length === 0, detail: missing.length ? `pending: ${missing.join(", ")}` : "ok" };
  },
];

/** Runs every check; never throws for a failed check, only for a broken connection. */
export async function verify(databaseUrl: string): Promise<CheckResult[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const results: CheckResult[] = [];
    for (const check of CHECKS) results.push(await check(client));
    return results;
  } finally {
    await client.end();
  }
}
