import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../src/migrator/migrate.js";
import { planRollback, rollback } from "../src/migrator/rollback.js";
import { verify } from "../src/migrator/verify.js";
import { createEmptyDatabase, withClient, type TestDatabase } from "./support/pg.js";

const dbs: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
});
async function fresh(): Promise<TestDatabase> {
  const db = await createEmptyDatabase("cs_mig");
  dbs.push(db);
  return db;
}
const run = (url: string, usd = "4.99") => migrate({ databaseUrl: url, smtpIpMonthlyCostUsd: usd });
const failures = async (url: string) =>
  (await verify(url)).filter((r) => r.status === "FAIL").map((r) => `${r.name}: ${r.detail}`);

describe("migrate", () => {
  it("builds a fresh database that passes every verification check", async () => {
    const db = await fresh();
    const r = await run(db.url, "5.25");
    expect(r.applied.length).toBeGreaterThanOrEqual(4);
    expect(await failures(db.url)).toEqual([]);
    const value = await withClient(
      db.url,
      async (c) =>
        (
          await c.query<{ v: string }>(
            `SELECT value #>> '{}' AS v FROM system_config WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`,
          )
        ).rows[0]!.v,
    );
    expect(value).toBe("5.25");
  });

  it("is a no-op the second time and records migrations for prisma migrate deploy", async () => {
    const db = await fresh();
    await run(db.url);
    const second = await run(db.url, "9.99");
    expect(second.applied).toEqual([]);
    await withClient(db.url, async (c) => {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`,
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(4);
      const v = await c.query<{ v: string }>(
        `SELECT value #>> '{}' AS v FROM system_config WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`,
      );
      expect(v.rows[0]!.v).toBe("4.99"); // the environment only fills it the first time
    });
  });

  it("lets two concurrent deploys finish without interleaving", async () => {
    const db = await fresh();
    const [a, b] = await Promise.all([run(db.url), run(db.url)]);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, a.applied.length || b.applied.length].sort());
    expect(await failures(db.url)).toEqual([]);
  });

  it("keeps every row of a database the application created before, with new costs at 0.00", async () => {
    const db = await fresh();
    // The application's own tables and rows, as they stand in production before cost-sync.
    await withClient(db.url, async (c) => {
      await c.query(`CREATE TABLE vps_instances (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), hostwinds_instance_id varchar(255) UNIQUE,
        ip_address varchar(45), region varchar(50), status varchar(50), monthly_cost decimal(10,2), hostwinds_billing_day int,
        current_billing_period_start timestamptz, current_billing_period_end timestamptz, decommission_scheduled_for timestamptz,
        created timestamptz DEFAULT now(), updated timestamptz DEFAULT now())`);
      await c.query(`CREATE TABLE smtp_ip_addresses (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        vps_instance_id uuid REFERENCES vps_instances(id) ON DELETE CASCADE, ip_address varchar(45) NOT NULL, status varchar(50),
        reputation_state varchar(50), assigned_count int DEFAULT 0, created timestamptz DEFAULT now(), updated timestamptz DEFAULT now())`);
      await c.query(`INSERT INTO vps_instances (hostwinds_instance_id, status, monthly_cost)
        SELECT 'svc' || g, 'active', 9.99 FROM generate_series(1, 50) g`);
      await c.query(`INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status)
        SELECT id, '10.0.0.' || row_number() OVER (), 'warmed' FROM vps_instances`);
    });
    await run(db.url);
    await withClient(db.url, async (c) => {
      const vps = await c.query(
        `SELECT count(*)::int AS n, sum(approximate_cost)::text AS s, bool_and(monthly_cost = 9.99) AS kept FROM vps_instances`,
      );
      expect(vps.rows[0]).toEqual({ n: 50, s: "0.00", kept: true });
      const ips = await c.query(
        `SELECT count(*)::int AS n, bool_and(approximate_cost = 0.00) AS zero FROM smtp_ip_addresses`,
      );
      expect(ips.rows[0]).toEqual({ n: 50, zero: true });
    });
    expect(await failures(db.url)).toEqual([]);
  });

  it("rejects a negative cost through the named constraints", async () => {
    const db = await fresh();
    await run(db.url);
    await withClient(db.url, async (c) => {
      await c.query(`INSERT INTO vps_instances (hostwinds_instance_id, status) VALUES ('1', 'active')`);
      await expect(c.query(`UPDATE vps_instances SET approximate_cost = -0.01`)).rejects.toThrow(
        /chk_vps_approximate_cost_positive/,
      );
      await c.query(
        `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status) SELECT id, '10.0.0.1', 'warming' FROM vps_instances`,
      );
      await expect(c.query(`UPDATE smtp_ip_addresses SET approximate_cost = -1`)).rejects.toThrow(
        /chk_smtp_approximate_cost_positive/,
      );
      await expect(c.query(`UPDATE smtp_ip_addresses SET approximate_cost_override = -1`)).rejects.toThrow(
        /override_positive/,
      );
    });
  });
});

describe("rollback", () => {
  it("removes views, indexes and constraints but keeps cost data; migrate then restores everything", async () => {
    const db = await fresh();
    await run(db.url);
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost) VALUES ('7', 'active', 12.34)`,
      ),
    );
    await rollback(db.url, planRollback(false));
    const failed = await failures(db.url);
    expect(failed.some((f) => f.includes("chk_vps_approximate_cost_positive"))).toBe(true);
    expect(
      await withClient(
        db.url,
        async (c) => (await c.query<{ v: string }>(`SELECT approximate_cost::text AS v FROM vps_instances`)).rows[0]!.v,
      ),
    ).toBe("12.34");
    const again = await run(db.url);
    expect(again.applied.length).toBeGreaterThan(0);
    expect(await failures(db.url)).toEqual([]);
    expect(
      await withClient(
        db.url,
        async (c) => (await c.query<{ v: string }>(`SELECT approximate_cost::text AS v FROM vps_instances`)).rows[0]!.v,
      ),
    ).toBe("12.34");
  });

  it("drops the cost columns only when asked to", async () => {
    const db = await fresh();
    await run(db.url);
    await rollback(db.url, planRollback(true));
    const cols = await withClient(
      db.url,
      async (c) =>
        (
          await c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM information_schema.columns WHERE column_name LIKE 'approximate_cost%'`,
          )
        ).rows[0]!.n,
    );
    expect(cols).toBe(0);
    await run(db.url);
    expect(await failures(db.url)).toEqual([]);
  });
});
