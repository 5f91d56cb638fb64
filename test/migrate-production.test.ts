import { afterAll, describe, expect, it } from "vitest";
import { checkDatabase } from "../src/migrator/check/inspect.js";
import type { CheckReport, Finding } from "../src/migrator/check/report.js";
import { MigrateRefusedError, migrate } from "../src/migrator/migrate.js";
import { readMigrations } from "../src/migrator/migration-files.js";
import { verify } from "../src/migrator/verify.js";
import { withClient, type TestDatabase } from "./support/pg.js";
import { createLoginRole, createProductionDatabase, type ProductionShape } from "./support/production-db.js";

// First contact with a production database (docs/first-deployment.md): every shape either migrates
// cleanly (and then verifies) or is refused before anything is written, naming what to fix.

const dbs: TestDatabase[] = [];
const roles: { drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const d of dbs.splice(0)) await d.drop();
  for (const r of roles.splice(0)) await r.drop();
});

async function production(shape: ProductionShape = {}): Promise<TestDatabase> {
  const db = await createProductionDatabase(shape);
  dbs.push(db);
  return db;
}

async function role(): Promise<Awaited<ReturnType<typeof createLoginRole>>> {
  const r = await createLoginRole("cs_mig");
  roles.push(r);
  return r;
}

const run = (url: string, usd = "5.25") =>
  migrate({ databaseUrl: url, smtpIpMonthlyCostUsd: usd, operator: "first-contact test" });

async function refusal(url: string): Promise<CheckReport> {
  const err = await run(url).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MigrateRefusedError);
  return (err as MigrateRefusedError).report;
}

const blocking = (r: CheckReport): Finding[] => r.findings.filter((f) => f.severity === "block");
const failures = async (url: string) =>
  (await verify(url)).filter((r) => r.status === "FAIL").map((r) => `${r.name}: ${r.detail}`);

/** Nothing of cost-sync's was written: no migration history, no table, no constraint. */
async function untouched(url: string): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<Record<string, boolean>>(
      `SELECT to_regclass('_prisma_migrations') IS NULL AS no_history, to_regclass('cost_history') IS NULL AS no_history_table,
              to_regclass('cost_attribution_by_tenant') IS NULL AS no_views,
              NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname LIKE 'chk_%approximate_cost%') AS no_constraints,
              NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname LIKE 'trg_cost_sync%') AS no_triggers`,
    );
    expect(rows[0]).toEqual({
      no_history: true,
      no_history_table: true,
      no_views: true,
      no_constraints: true,
      no_triggers: true,
    });
  });
}

/** Every migration recorded as finished, none failed. */
async function fullyMigrated(url: string): Promise<void> {
  await withClient(url, async (c) => {
    const { rows } = await c.query<{ unfinished: number; finished: number }>(
      `SELECT count(*) FILTER (WHERE finished_at IS NULL AND rolled_back_at IS NULL)::int AS unfinished,
              count(*) FILTER (WHERE finished_at IS NOT NULL)::int AS finished FROM _prisma_migrations`,
    );
    expect(rows[0]!.unfinished).toBe(0);
    expect(rows[0]!.finished).toBe((await readMigrations()).length);
  });
  expect(await failures(url)).toEqual([]);
}

describe("migrate on a database shaped like production", () => {
  it("updated_by uuid REFERENCES users(id): 0300 is marked applied, the settings rows go in without it", async () => {
    const db = await production({ updatedBy: "uuid" });
    const r = await run(db.url);
    expect(r.markedApplied.map((m) => m.name)).toEqual(["20261101000300_smtp_ip_cost_constant"]);
    expect(r.applied).not.toContain("20261101000300_smtp_ip_cost_constant");
    await fullyMigrated(db.url);
    await withClient(db.url, async (c) => {
      const cfg = await c.query(`SELECT key, value #>> '{}' AS v, updated_by FROM system_config ORDER BY key`);
      expect(cfg.rows).toEqual([
        { key: "app.signup_open", v: "true", updated_by: "00000000-0000-4000-8000-00000000000a" },
        { key: "cost_sync.plan_price_unit", v: "cents", updated_by: null },
        { key: "cost_sync.smtp_ip_monthly_cost_usd", v: "5.25", updated_by: null },
      ]);
      const seeded = await c.query(
        `SELECT key, old_value #>> '{}' AS old, new_value #>> '{}' AS new, changed_by FROM cost_sync_setting_changes`,
      );
      expect(seeded.rows).toEqual([
        { key: "cost_sync.smtp_ip_monthly_cost_usd", old: "4.99", new: "5.25", changed_by: "first-contact test" },
      ]);
      const marked = await c.query(
        `SELECT applied_steps_count, finished_at IS NOT NULL AS finished FROM _prisma_migrations
          WHERE migration_name = '20261101000300_smtp_ip_cost_constant'`,
      );
      expect(marked.rows).toEqual([{ applied_steps_count: 0, finished: true }]);
      const kept = await c.query(`SELECT count(*)::int AS n, sum(monthly_cost)::text AS s FROM vps_instances`);
      expect(kept.rows[0]).toEqual({ n: 5, s: "100.00" });
    });
    expect((await run(db.url, "9.99")).applied).toEqual([]);
  });

  it("extra NOT NULL columns with defaults and an `updated` trigger on every table: a clean migrate", async () => {
    const db = await production({ extraNotNull: true, updatedTriggers: true });
    const r = await run(db.url);
    expect(r.warnings).toEqual([]);
    await fullyMigrated(db.url);
    await withClient(db.url, async (c) => {
      // cost-sync's own writes go through the application's trigger like any other update
      await c.query(`UPDATE vps_instances SET approximate_cost = 12.50, updated = now() - interval '1 day'`);
      const { rows } = await c.query(
        `SELECT bool_and(updated > now() - interval '1 minute') AS fresh FROM vps_instances`,
      );
      expect(rows[0]).toEqual({ fresh: true });
    });
  });

  it("updated_by NOT NULL without a default: refused before anything is written, naming it", async () => {
    const db = await production({ updatedBy: "uuid not null" });
    const report = await refusal(db.url);
    expect(blocking(report)).toEqual([
      expect.objectContaining({ topic: "not null", object: "system_config", column: "updated_by" }),
    ]);
    expect(blocking(report)[0]!.fix).toMatch(
      /ALTER TABLE system_config ALTER COLUMN updated_by (SET DEFAULT|DROP NOT NULL)/,
    );
    await untouched(db.url);
  });

  it("text updated_by (the documented default): 0300 runs as before", async () => {
    const db = await production({ updatedBy: "varchar" });
    const r = await run(db.url);
    expect(r.markedApplied).toEqual([]);
    expect(r.applied).toContain("20261101000300_smtp_ip_cost_constant");
    await fullyMigrated(db.url);
  });

  it("negative and NaN costs from an earlier attempt: listed by id, refused; migrates once fixed", async () => {
    const db = await production({ manualCost: { badRows: 25 } });
    const report = await checkDatabase(db.url);
    expect(report.ready).toBe(false);
    const rows = report.findings.filter((f) => f.topic === "rows");
    expect(rows.map((f) => [f.object, f.column, f.count, f.ids?.length])).toEqual([
      ["vps_instances", "approximate_cost", 25, 20],
      ["smtp_ip_addresses", "approximate_cost", 1, 1],
      ["vps_instances", "approximate_cost_override", 1, 1],
    ]);
    expect(rows[0]!.ids!.slice(0, 2)).toEqual([
      "00000000-0000-4000-8000-000000000001",
      "00000000-0000-4000-8000-000000000002",
    ]);
    await refusal(db.url);
    await untouched(db.url);
    // The fixes the report gives, as given.
    await withClient(db.url, async (c) => {
      for (const f of rows) await c.query(/UPDATE [^;]+/.exec(f.fix)![0]);
    });
    expect((await checkDatabase(db.url)).ready).toBe(true);
    await run(db.url);
    await fullyMigrated(db.url);
  });

  it("row-level security on vps_instances: the owner without FORCE migrates; FORCE refuses; a policy lets it through", async () => {
    const owner = await role();
    const open = await production({ owner: owner.name, rls: "enabled" });
    await run(owner.url(open));
    await fullyMigrated(owner.url(open));

    const forced = await production({ owner: owner.name, rls: "forced" });
    const report = await refusal(owner.url(forced));
    expect(blocking(report).map((f) => [f.topic, f.object])).toEqual([["row-level security", "vps_instances"]]);
    expect(blocking(report)[0]!.fix).toContain("CREATE POLICY");
    await untouched(owner.url(forced));

    const policed = await production({ owner: owner.name, rls: "forced with policy" });
    const r = await run(owner.url(policed));
    expect(r.warnings.map((f) => [f.topic, f.object])).toEqual([["row-level security", "vps_instances"]]);
    await fullyMigrated(owner.url(policed));
  });

  it("a role that owns nothing and may create nothing: refused, naming the schema, the tables and the grants", async () => {
    const stranger = await role();
    const db = await production();
    const report = await refusal(stranger.url(db));
    const named = blocking(report).map((f) => `${f.topic}: ${f.object}`);
    expect(named).toContain("privilege: schema public");
    expect(named).toContain("privilege: vps_instances");
    expect(named).toContain("privilege: system_config");
    expect(blocking(report).find((f) => f.object === "system_config")!.fix).toBe(
      `GRANT SELECT, INSERT, UPDATE ON system_config TO ${stranger.name}`,
    );
    await untouched(db.url);
  });
});

describe("the application after cost-sync's migrations", () => {
  it("keeps writing its tables with its own role, which has no grant on cost-sync's outbox", async () => {
    const db = await production();
    await run(db.url);
    const app = await role();
    await withClient(db.url, (c) =>
      c.query(`GRANT SELECT, INSERT, UPDATE ON vps_instances, smtp_ip_addresses, subscriptions TO ${app.name}`),
    );
    await withClient(app.url(db), async (c) => {
      await c.query(`INSERT INTO vps_instances (hostwinds_instance_id, status) VALUES ('4242', 'provisioning')`);
      await c.query(`UPDATE vps_instances SET status = 'active' WHERE hostwinds_instance_id = '4242'`);
      await c.query(`UPDATE subscriptions SET status = 'past_due' WHERE false`);
    });
    await withClient(db.url, async (c) => {
      const { rows } = await c.query(`SELECT reason FROM cost_sync_events ORDER BY id DESC LIMIT 3`);
      expect(rows).toEqual([
        { reason: "subscriptions update" },
        { reason: "status provisioning -> active" },
        { reason: "created" },
      ]);
    });
  });
});
