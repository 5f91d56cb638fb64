import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHistory, type History } from "../dev/history/model.js";
import { writeHistory } from "../dev/history/write.js";
import { formatCents } from "../src/money.js";
import { backtestSeries } from "../src/services/forecast/backtest.js";
import { monthLastInstant } from "../src/db/month-end/cost-as-of.js";
import { runInProcess } from "./support/cli-streams.js";
import { expectedAt } from "./support/history-replay.js";
import { FORECAST_HISTORY } from "./support/history-db.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// cost-sync forecast and forecast backtest on a generated history with a known trend, a price
// change, tenants joining and leaving, and scheduled decommissions (docs/forecast.md).

let test: TestDatabase;
let c: pg.Client;
let h: History;
let env: Record<string, string>;
const cli = (...args: string[]) => runInProcess(args, { env });
const json = async (...args: string[]) => {
  const r = await cli(...args);
  expect(r).toMatchObject({ code: 0, stderr: "" });
  return JSON.parse(r.stdout) as Record<string, unknown>;
};
const END = new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  test = await createMigratedDatabase("cs_forecast");
  env = { DATABASE_URL: test.url, HOSTWINDS_API_URL: "http://127.0.0.1:9", COST_SYNC_OPERATOR: "finance-fay" };
  c = new pg.Client({ connectionString: test.url });
  await c.connect();
  h = generateHistory({ ...FORECAST_HISTORY, end: END });
  await writeHistory(c, h);
  await c.query(`INSERT INTO tenants (name) VALUES ('Twin'), ('Twin')`);
  await c.query(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
});
afterAll(async () => {
  await c.end();
  await test.drop();
});

const monthsOfHistory = () =>
  Array.from({ length: h.config.months }, (_, m) =>
    new Date(Date.UTC(h.start.getUTCFullYear(), h.start.getUTCMonth() + m, 1)).toISOString().slice(0, 7),
  );

describe("forecast backtest", () => {
  it("compares each month's forecast with the actual month-end figure, reproducibly", async () => {
    const b = await json("forecast", "backtest", "--json");
    const months = monthsOfHistory();
    const actual = months.map((m) => expectedAt(h, new Date(monthLastInstant(m))).fleetCents);
    // the actual figures are the generator's own, and the whole result is the pure backtest of them
    expect(b).toEqual(JSON.parse(JSON.stringify(backtestSeries(months, actual, 12))));
    expect(await json("forecast", "backtest", "--json")).toEqual(b);
    const rows = b.months as { month: string; actual: string; p10: string | null; p50: string; p90: string | null }[];
    expect(rows.map((r) => r.month)).toEqual(months.slice(-12));
    expect(rows.map((r) => r.actual)).toEqual(actual.slice(-12).map(formatCents));
    // the generated fleet grows 4% a month: the trend beats "same as last month"
    expect(b.mapePercent as number).toBeLessThan(b.naiveMapePercent as number);
    for (const r of rows.filter((x) => x.p10 !== null)) {
      expect(Number(r.p10)).toBeLessThanOrEqual(Number(r.p50));
      expect(Number(r.p50)).toBeLessThanOrEqual(Number(r.p90));
    }
  });
});

describe("forecast", () => {
  it("lists each scheduled decommission with its date and monthly effect (the VPS and its IPs)", async () => {
    const f = await json("forecast", "--json", "--months", "4");
    const scheduled = h.vps.filter((v) => v.decommissionScheduledFor !== null);
    expect(scheduled.length).toBeGreaterThan(0);
    const want = scheduled.map((v) => {
      const now = new Date();
      const cents = expectedAt({ ...h, vps: [v] }, now).fleetCents;
      return { date: v.decommissionScheduledFor?.toISOString(), kind: "scheduled decommission", resource: `vps ${v.id} (serviceid ${v.serviceid})`, monthlyEffect: formatCents(-cents) }; // prettier-ignore
    });
    expect(f.knownChanges).toEqual(expect.arrayContaining(want));
    expect((f.knownChanges as unknown[]).length).toBe(want.length);
    expect(f.thisMonth).toMatchObject({ runRate: formatCents(expectedAt(h, new Date()).fleetCents) });
    expect((f.months as unknown[]).length).toBe(4);
  });

  it("a dedicated VPS's decommission is its owner's known change", async () => {
    const v = h.vps.find((x) => x.decommissionScheduledFor !== null && x.tenantId !== null);
    if (!v?.tenantId) throw new Error("generated history without a dedicated scheduled VPS");
    const f = await json("forecast", "--json", "--tenant", v.tenantId);
    const mine = (f.knownChanges as { resource: string }[]).map((k) => k.resource);
    expect(mine).toContain(`vps ${v.id} (serviceid ${v.serviceid})`);
  });

  it("with fewer than 6 complete months: says so, run-rate plus known changes, no interval", async () => {
    // a tenant that joined two months ago, with one VPS priced then
    const t = await c.query<{ id: string }>(`INSERT INTO tenants (name) VALUES ('Newcomer') RETURNING id::text`);
    const tenantId = t.rows[0]?.id;
    const v = await c.query<{ id: string }>(
      `INSERT INTO vps_instances (hostwinds_instance_id, status, tenant_id, approximate_cost, approximate_cost_source, created)
       VALUES ('777001', 'active', $1, 25.00, 'get_price_list rid 12 monthly', now() - interval '65 days') RETURNING id::text`,
      [tenantId],
    );
    await c.query(
      `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
       VALUES ('vps', $1, 0.00, 25.00, 'get_price_list rid 12 monthly', 'test', 'newcomer', now() - interval '65 days')`,
      [v.rows[0]?.id],
    );
    await c.query(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
    const f = await json("forecast", "--json", "--tenant", "Newcomer", "--months", "2");
    expect(f.note).toMatch(/^only [12] complete months? of history \(6 needed\): run-rate plus known changes/);
    expect(f.thisMonth).toMatchObject({ runRate: "25.00", p10: null, p50: "25.00", p90: null });
    expect(f.months).toEqual([expect.objectContaining({ p10: null, p50: "25.00", p90: null }), expect.objectContaining({ p10: null, p50: "25.00", p90: null })]); // prettier-ignore
  });

  it("prints CSV with one row per month", async () => {
    const r = await cli("forecast", "--csv", "--months", "2");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("month,run_rate,p10,p50,p90");
    expect(r.stdout.trim().split("\n")).toHaveLength(4);
  });
});

describe("bad input: exit 2, a message, nothing written", () => {
  const budgets = async () => (await c.query(`SELECT count(*)::int AS n FROM cost_budgets`)).rows[0] as { n: number };
  it.each([
    [["budget", "set", "fleet", "0"], /more than 0\.00/],
    [["budget", "set", "fleet", "-5"], /must not be negative/],
    [["budget", "set", "fleet", "lots"], /USD amount/],
    [["budget", "set", "tenant", "Nobody At All", "100"], /no tenant named "Nobody At All"/],
    [["budget", "set", "plan", "999", "100"], /no VPS was ever priced from plan rid 999/],
    [["budget", "set", "tenant", "Twin", "100"], /ambiguous: Twin \([0-9a-f-]{36}\), Twin \([0-9a-f-]{36}\)/],
    [["forecast", "--months", "0"], /--months must be a whole number from 1 to 12/],
    [["forecast", "--months", "13"], /--months must be a whole number from 1 to 12/],
    [["forecast", "--tenant", "Twin"], /ambiguous/],
    [["forecast", "--plan", "999"], /plan rid 999/],
  ])("%j", async (args, message) => {
    const before = await budgets();
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    expect(await budgets()).toEqual(before);
  });
});

describe("budgets", () => {
  it("sets, replaces (keeping the earlier value with its operator), lists with statuses, clears", async () => {
    const f = await json("forecast", "--json", "--months", "1");
    const p50 = (f.thisMonth as { p50: string }).p50;
    const generous = formatCents(BigInt(p50.replace(".", "")) * 2n);
    expect((await cli("budget", "set", "fleet", "10.00", "--reason", "first guess")).code).toBe(0);
    expect((await cli("budget", "set", "fleet", generous)).code).toBe(0);
    expect((await cli("budget", "set", "plan", "11", "1.00")).code).toBe(0);
    const list = (await cli("budget", "list", "--json")).stdout;
    expect(JSON.parse(list)).toEqual([
      expect.objectContaining({ scope: "fleet", id: null, amount: generous, monthEndForecastP50: p50, status: "ok" }),
      expect.objectContaining({ scope: "plan", id: "11", amount: "1.00", status: "over" }),
    ]);
    const kept = await c.query(
      `SELECT amount::text, changed_by, reason FROM cost_budgets WHERE scope = 'fleet' ORDER BY id`,
    );
    expect(kept.rows).toEqual([
      { amount: "10.00", changed_by: "finance-fay", reason: "first guess" },
      { amount: generous, changed_by: "finance-fay", reason: "budget set (cli)" },
    ]);
    expect((await cli("budget", "clear", "plan", "11")).code).toBe(0);
    expect(JSON.parse((await cli("budget", "list", "--json")).stdout)).toHaveLength(1);
  });
});

describe("the stored forecast: executive views, status", () => {
  it("executives and analysts read the forecast and the budgets; application_service does not", async () => {
    const { openDatabase } = await import("../src/infrastructure.js");
    const { Resources } = await import("../src/resources.js");
    const { refreshStoredForecasts } = await import("../src/services/forecast/stored-forecasts.js");
    const res = new Resources();
    try {
      const { db } = openDatabase(res, test.url, { poolSize: 1 });
      expect(await refreshStoredForecasts(db)).toBeGreaterThan(h.tenants.length / 2);
    } finally {
      await res.close();
    }
    expect((await cli("budget", "set", "tenant", h.tenants[0]?.id ?? "", "0.01", "--reason", "tiny")).code).toBe(0);
    await c.query("SET ROLE executives");
    try {
      const f = await c.query(
        `SELECT scope, p50::text FROM executive_cost_forecast WHERE scope = 'fleet' ORDER BY month LIMIT 1`,
      );
      expect(f.rows).toEqual([{ scope: "fleet", p50: expect.stringMatching(/^\d+\.\d\d$/) as unknown }]);
      const b = await c.query(`SELECT scope, scope_id, status FROM executive_budget_status WHERE scope = 'tenant'`);
      expect(b.rows).toEqual([{ scope: "tenant", scope_id: h.tenants[0]?.id, status: "over" }]);
    } finally {
      await c.query("RESET ROLE");
    }
    await c.query("SET ROLE application_service");
    try {
      await expect(c.query(`SELECT * FROM executive_budget_status`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`SELECT * FROM executive_cost_forecast`)).rejects.toThrow(/permission denied/);
    } finally {
      await c.query("RESET ROLE");
    }
    const status = await cli("status", "--json");
    expect(JSON.parse(status.stdout)).toMatchObject({ budgetsAtRisk: { total: 1, shown: [{ scope: "tenant", id: h.tenants[0]?.id, amount: "0.01", status: "over" }] } }); // prettier-ignore
  });
});
