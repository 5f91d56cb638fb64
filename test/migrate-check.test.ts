import { afterAll, describe, expect, it } from "vitest";
import { checkDatabase } from "../src/migrator/check/inspect.js";
import { EXPECTED_TABLES } from "../src/migrator/check/expected.js";
import type { CheckReport } from "../src/migrator/check/report.js";
import { MigrateRefusedError, migrate } from "../src/migrator/migrate.js";
import { MIGRATIONS_DIR, readMigrations } from "../src/migrator/migration-files.js";
import { migrationsList, withSchemaEngine } from "../src/migrator/schema-engine.js";
import { verify } from "../src/migrator/verify.js";
import { withClient, type TestDatabase } from "./support/pg.js";
import { createProductionDatabase, type ProductionShape } from "./support/production-db.js";
import { runCli } from "./support/worker-process.js";

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const d of dbs.splice(0)) await d.drop();
});

async function production(shape: ProductionShape, sql: string[] = []): Promise<TestDatabase> {
  const db = await createProductionDatabase(shape);
  dbs.push(db);
  await withClient(db.url, async (c) => {
    for (const s of sql) await c.query(s);
  });
  return db;
}

const run = (url: string) => migrate({ databaseUrl: url, smtpIpMonthlyCostUsd: "4.99", operator: "check test" });
const topics = (r: CheckReport, severity: "block" | "warn") =>
  r.findings
    .filter((f) => f.severity === severity)
    .map((f) => `${f.topic}: ${f.column ? `${f.object}.${f.column}` : f.object}`);
const fails = async (url: string) => (await verify(url)).filter((r) => r.status === "FAIL").map((r) => r.name);

/** What the catalog holds that a check must not change. */
const snapshot = (url: string) =>
  withClient(
    url,
    async (c) =>
      (
        await c.query<{ relname: string; relkind: string }>(
          `SELECT relname, relkind FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1`,
        )
      ).rows,
  );

describe("migrate --check", () => {
  it("knows every table cost-sync's migrations create, with every column and the type they give it", async () => {
    const db = await production({});
    const before = new Set((await snapshot(db.url)).filter((r) => r.relkind === "r").map((r) => r.relname));
    await run(db.url);
    const created = (await snapshot(db.url))
      .filter((r) => r.relkind === "r" && !before.has(r.relname) && r.relname !== "_prisma_migrations")
      .map((r) => r.relname);
    const ours = EXPECTED_TABLES.filter((t) => t.owner === "cost-sync");
    expect(ours.map((t) => t.name).sort()).toEqual(expect.arrayContaining(created.sort()));
    // One query at a time: a pg client runs one, and pg@9 refuses a second sent meanwhile.
    const actual = await withClient(db.url, async (c) => {
      const columns: Record<string, Record<string, string>> = {};
      for (const t of ours) {
        const { rows } = await c.query<{ attname: string; type: string }>(
          `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
          [t.name],
        );
        columns[t.name] = Object.fromEntries(rows.map((r) => [r.attname, r.type]));
      }
      return columns;
    });
    expect(actual).toEqual(Object.fromEntries(ours.map((t) => [t.name, t.columns])));
  });

  it("names relations of another kind, foreign views, taken index names and column types, and changes nothing", async () => {
    const db = await production({}, [
      `ALTER TABLE tenants ALTER COLUMN name TYPE varchar(200)`,
      `ALTER TABLE billing_analytics ALTER COLUMN subscription_id TYPE uuid USING subscription_id::uuid`,
      `ALTER TABLE smtp_ip_addresses DROP COLUMN status`,
      // the seed's own view, as an earlier attempt left it
      `CREATE VIEW executive_business_summary AS SELECT t.id AS tenant_id, 0::numeric AS total_monthly_cost FROM tenants t`,
      `CREATE VIEW tenant_business_snapshot AS SELECT 1 AS x`,
      `CREATE TABLE tenant_cost_attribution (tenant_id uuid)`,
      `CREATE INDEX idx_domains_tenant ON companies (tenant_id)`,
    ]);
    const before = await snapshot(db.url);
    const report = await checkDatabase(db.url);
    expect(topics(report, "block").sort()).toEqual(
      [
        "column type: billing_analytics.subscription_id",
        "index: idx_domains_tenant",
        "missing column: smtp_ip_addresses.status",
        "relation kind: tenant_business_snapshot",
        "relation kind: tenant_cost_attribution",
        "view columns: executive_business_summary",
      ].sort(),
    );
    expect(topics(report, "warn")).toEqual(["column type: tenants.name"]);
    expect(await snapshot(db.url)).toEqual(before);
    await expect(run(db.url)).rejects.toBeInstanceOf(MigrateRefusedError);
    expect(await snapshot(db.url)).toEqual(before);
  });

  it("prints JSON with camelCase keys, the ids with their count, and exits 1 when not ready, 0 when ready", async () => {
    const db = await production({ manualCost: { badRows: 3 } });
    const notReady = await runCli(["migrate", "--check", "--json"], { DATABASE_URL: db.url });
    expect(notReady.code).toBe(1);
    const json = JSON.parse(notReady.stdout) as {
      ready: boolean;
      pendingCount: number;
      problems: { topic: string; object: string; column: string; ids: string[]; idCount: number; fix: string }[];
    };
    expect(json.ready).toBe(false);
    expect(json.pendingCount).toBe((await readMigrations()).length);
    expect(json.problems.find((p) => p.column === "approximate_cost" && p.object === "vps_instances")).toMatchObject({
      topic: "rows",
      idCount: 3,
      ids: [
        "00000000-0000-4000-8000-000000000001",
        "00000000-0000-4000-8000-000000000002",
        "00000000-0000-4000-8000-000000000003",
      ],
    });
    const refused = await runCli(["migrate"], { DATABASE_URL: db.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/NOT ready: 3 incompatibilities to fix first/);
    expect(refused.stderr).not.toMatch(/wasm|unknown variant/i);
    await withClient(db.url, async (c) => {
      await c.query(`UPDATE vps_instances SET approximate_cost = NULL, approximate_cost_override = NULL`);
      await c.query(`UPDATE smtp_ip_addresses SET approximate_cost = NULL`);
    });
    const ready = await runCli(["migrate", "--check"], { DATABASE_URL: db.url });
    expect(ready.code).toBe(0);
    expect(ready.stdout).toMatch(
      /pending migrations \(\d+\)[\s\S]*marked applied without running[\s\S]*migrate --check: ready/,
    );
  });

  it("a 0300 recorded as failed by an earlier cost-sync: migrate marks it applied and goes on", async () => {
    const db = await production({ updatedBy: "uuid" });
    // What the previous cost-sync did: apply everything with the engine, which failed on 0300.
    const upTo0300 = (await readMigrations()).filter((m) => m.name < "20261101000400");
    await withClient(db.url, (c) =>
      c.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (id varchar(36) PRIMARY KEY NOT NULL,
      checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text,
      rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`),
    );
    const old = await withSchemaEngine(db.url, (e) =>
      e.applyMigrations({
        migrationsList: migrationsList(MIGRATIONS_DIR, upTo0300),
        filters: { externalTables: [], externalEnums: [] },
      }),
    ).catch((e: unknown) => e);
    expect(String(old)).toMatch(/unknown variant `InvalidInputValue`/);
    const report = await checkDatabase(db.url);
    expect(report.ready).toBe(true);
    expect(report.pending[0]).toMatchObject({ name: "20261101000300_smtp_ip_cost_constant", action: "mark-applied" });
    await run(db.url);
    expect(await fails(db.url)).toEqual([]);
    await withClient(db.url, async (c) => {
      const { rows } =
        await c.query(`SELECT finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
        FROM _prisma_migrations WHERE migration_name = '20261101000300_smtp_ip_cost_constant' ORDER BY started_at`);
      expect(rows).toEqual([
        { finished: false, rolled_back: true },
        { finished: true, rolled_back: false },
      ]);
    });
  });

  it("another migration recorded as failed: says how to resolve it, and --mark-rolled-back does", async () => {
    const db = await production({ updatedBy: "varchar" });
    await run(db.url);
    await withClient(db.url, (c) =>
      c.query(`UPDATE _prisma_migrations SET finished_at = NULL, logs = 'failed elsewhere'
                WHERE migration_name = '20261126200000_race_guards_and_run_details'`),
    );
    const report = await checkDatabase(db.url);
    expect(topics(report, "block")).toEqual(["failed migration: _prisma_migrations"]);
    expect(report.findings[0]!.fix).toContain("migrate --mark-rolled-back 20261126200000_race_guards_and_run_details");
    const marked = await runCli(["migrate", "--mark-rolled-back", "20261126200000_race_guards_and_run_details"], {
      DATABASE_URL: db.url,
    });
    expect(marked.code).toBe(0);
    const again = await run(db.url);
    expect(again.applied).toEqual(["20261126200000_race_guards_and_run_details"]);
    expect(await fails(db.url)).toEqual([]);
  });
});
