import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { closeMonth, reopenMonth } from "../src/db/month-end/month-close.js";
import { monthlyTrend } from "../src/db/read-models/trend.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { MonthCloseSeed } from "./support/month-close-seed.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

// executive_monthly_trend over closed months: the change since the previous calendar month to the
// cent (NULL where that month is not closed or was zero), and the executive views' isolation.

let test: TestDatabase;
let seed: MonthCloseSeed;
let db: Db;
let pool: pg.Pool;
const res = new Resources();
const t: Record<string, string> = {};
const CHANGES = `to_char(month, 'YYYY-MM') AS month, cost::text, cost_change::text, cost_change_percent::text,
  revenue_change::text, revenue_change_percent::text, margin_change::text, margin_change_percent::text`;
const close = (month: string) => closeMonth(db, { month, closedBy: "finance", trigger: "command", reason: "test" });
const trendOf = (where: string, params: unknown[] = []) =>
  seed.q(`SELECT ${CHANGES} FROM executive_monthly_trend WHERE ${where} ORDER BY month`, params);

beforeAll(async () => {
  test = await createMigratedDatabase("cs_trend");
  seed = new MonthCloseSeed(test.url);
  ({ db, pool } = openDatabase(res, test.url, { poolSize: 2 }));
  t.a = await seed.tenant("a", 10_000);
  t.b = await seed.tenant("b", 2900);
  t.c = await seed.tenant("c");
  const aVps = await seed.vps("30.00", t.a, ["4.99"]);
  await seed.vps("20.00", t.b);
  await seed.vps("5.00", t.c);
  const unowned = await seed.vps("999.00", null);
  await seed.refresh();
  await close("2025-08");
  await seed.setVpsCost(aVps, "40.00");
  await seed.setVpsCost(unowned, "1000.00");
  await seed.q(`UPDATE plans SET price_monthly = 3900 WHERE slug = 'plan-b'`);
  await seed.refresh();
  await close("2025-09");
  await close("2025-10");
  await close("2025-12"); // 2025-11 never closed
  await close("2025-05");
  await reopenMonth(db, { month: "2025-05", reopenedBy: "finance", reason: "a reopened month is not in the trend" });
});
afterAll(async () => {
  await res.close();
  await test.drop();
});

describe("executive_monthly_trend", () => {
  it("gives each tenant's change since the previous month, absolute and in percent, rounded once", async () => {
    expect(await trendOf(`tenant_id = $1`, [t.a])).toEqual([
      { month: "2025-08", cost: "34.99", cost_change: null, cost_change_percent: null, revenue_change: null, revenue_change_percent: null, margin_change: null, margin_change_percent: null }, // prettier-ignore
      { month: "2025-09", cost: "44.99", cost_change: "10.00", cost_change_percent: "28.58", revenue_change: "0.00", revenue_change_percent: "0.00", margin_change: "-10.00", margin_change_percent: "-15.38" }, // prettier-ignore
      { month: "2025-10", cost: "44.99", cost_change: "0.00", cost_change_percent: "0.00", revenue_change: "0.00", revenue_change_percent: "0.00", margin_change: "0.00", margin_change_percent: "0.00" }, // prettier-ignore
      { month: "2025-12", cost: "44.99", cost_change: null, cost_change_percent: null, revenue_change: null, revenue_change_percent: null, margin_change: null, margin_change_percent: null }, // prettier-ignore
    ]);
    const [b] = await trendOf(`tenant_id = $1 AND month = '2025-09-01'`, [t.b]);
    expect(b).toMatchObject({ revenue_change: "10.00", revenue_change_percent: "34.48", margin_change: "10.00", margin_change_percent: "111.11" }); // prettier-ignore
  });

  it("gives NULL, not a division error, when the previous month's figure is zero", async () => {
    const [c] = await trendOf(`tenant_id = $1 AND month = '2025-09-01'`, [t.c]);
    // c has no revenue: the change is 0.00 and its percent is undefined; margin -5.00 -> -5.00 is 0 %.
    expect(c).toMatchObject({ revenue_change: "0.00", revenue_change_percent: null, margin_change_percent: "0.00" });
  });

  it("gives the fleet, unallocated cost included, and leaves out reopened months", async () => {
    expect(await trendOf(`scope = 'fleet'`)).toEqual([
      { month: "2025-08", cost: "1058.99", cost_change: null, cost_change_percent: null, revenue_change: null, revenue_change_percent: null, margin_change: null, margin_change_percent: null }, // prettier-ignore
      { month: "2025-09", cost: "1069.99", cost_change: "11.00", cost_change_percent: "1.04", revenue_change: "10.00", revenue_change_percent: "7.75", margin_change: "-1.00", margin_change_percent: "-0.11" }, // prettier-ignore
      { month: "2025-10", cost: "1069.99", cost_change: "0.00", cost_change_percent: "0.00", revenue_change: "0.00", revenue_change_percent: "0.00", margin_change: "0.00", margin_change_percent: "0.00" }, // prettier-ignore
      { month: "2025-12", cost: "1069.99", cost_change: null, cost_change_percent: null, revenue_change: null, revenue_change_percent: null, margin_change: null, margin_change_percent: null }, // prettier-ignore
    ]);
  });

  it("feeds report trend: the last N closed months, the earliest still compared with its previous month", async () => {
    const fleet = await monthlyTrend(pool, { months: 3 });
    expect(fleet.from).toBe("2025-09");
    expect(fleet.rows.map((r) => [r.month, r.cost_change])).toEqual([["2025-09", "11.00"], ["2025-10", "0.00"], ["2025-12", null]]); // prettier-ignore
    const one = await monthlyTrend(pool, { months: 2, tenantId: t.b });
    expect(one.rows.map((r) => [r.month, r.revenue, r.health])).toEqual([["2025-10", "39.00", "Good"], ["2025-12", "39.00", "Good"]]); // prettier-ignore
  });
});

describe("executive_monthly_trend access", () => {
  const asRole = <T>(role: string, fn: (c: pg.Client) => Promise<T>, tenant?: string) =>
    withClient(test.url, async (c) => {
      await c.query("BEGIN");
      try {
        if (tenant !== undefined) await c.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenant]);
        await c.query(`SET LOCAL ROLE ${role}`);
        return await fn(c);
      } finally {
        await c.query("ROLLBACK");
      }
    });
  const scopes = (c: pg.Client) =>
    c
      .query<{ scope: string; tenant_id: string | null; n: number }>(
        `SELECT scope, tenant_id::text, count(*)::int AS n FROM executive_monthly_trend GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .then((r) => r.rows);

  it("shows executives, analysts and administrators every tenant and the fleet", async () => {
    for (const role of ["executives", "business_analysts", "db_administrators"]) {
      const rows = await asRole(role, scopes);
      expect(rows).toHaveLength(4); // fleet + 3 tenants
      expect(rows.find((r) => r.scope === "fleet")).toEqual({ scope: "fleet", tenant_id: null, n: 4 });
    }
  });

  it("shows application_service its tenant's months only, never the fleet, and nothing without a tenant", async () => {
    expect(await asRole("application_service", scopes, t.a)).toEqual([{ scope: "tenant", tenant_id: t.a, n: 4 }]);
    expect(await asRole("application_service", scopes)).toEqual([]);
    expect(await asRole("application_service", scopes, "not-a-uuid'; --")).toEqual([]);
    for (const table of ["cost_month_closes", "cost_month_close_tenants"])
      await asRole("application_service", async (c) => {
        await expect(c.query(`SELECT * FROM ${table}`)).rejects.toThrow(/permission denied/);
      });
  });

  it("grants nothing to PUBLIC: a role without a grant gets a permission error", async () => {
    await seed.q(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cost_sync_test_nogrant') THEN CREATE ROLE cost_sync_test_nogrant NOLOGIN; END IF; END $$`,
    );
    await asRole("cost_sync_test_nogrant", async (c) => {
      await expect(c.query(`SELECT * FROM executive_monthly_trend`)).rejects.toThrow(/permission denied/);
    });
  });
});
