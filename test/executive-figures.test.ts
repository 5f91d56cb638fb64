import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

let db: TestDatabase;
let fx: ReturnType<typeof executiveFixtures>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createMigratedDatabase("cs_exec_fig");
  fx = executiveFixtures(db.url);
  ids.a = await fx.tenant("alpha", 10_000, { payments: ["60.00"] }); // $100 plan, $60 paid
  ids.b = await fx.tenant("beta", 2900); // $29 plan, nothing paid
  ids.c = await fx.tenant("gamma", 5000, { subscribed: false }); // owns a VPS, no active subscription
  await fx.vps("40.00", ids.a, ["4.99", "4.99"]);
  const [shared] = await fx.vps("10.00", null, ["1.00"]);
  await fx.q(
    `INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status) SELECT id, $2, 'active' FROM domains WHERE tenant_id = $1`,
    [ids.b, shared],
  );
  await fx.vps("7.50", ids.c);
  await fx.vps("20.00", null, ["3.00"]); // nobody's: unallocated
  await fx.refresh();
});
afterAll(() => db.drop());

type Row = Record<string, string | null>;
const FLEET = `SELECT row_kind, tenants::text, monthly_subscription_revenue::text AS revenue, payments_received::text AS payments,
                      infrastructure_costs::text AS vps, email_service_costs::text AS ip, untracked_cost::text AS untracked,
                      total_operational_cost::text AS cost, monthly_margin::text, payment_margin::text,
                      gross_margin_percent::text AS pct
                 FROM executive_fleet_summary ORDER BY row_position`;

/** Runs `fn` in a transaction as `role`, acting for `tenant` when given; rolled back. */
const asRole = (role: string, fn: (c: pg.Client) => Promise<void>, o: { tenant?: string; grant?: string } = {}) =>
  withClient(db.url, async (c) => {
    await c.query("BEGIN");
    try {
      if (o.grant) await c.query(o.grant);
      if (o.tenant) await c.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [o.tenant]);
      await c.query(`SET LOCAL ROLE ${role}`);
      await fn(c);
    } finally {
      await c.query("ROLLBACK");
    }
  });

const cents = (v: string | null | undefined) => Math.round(Number(v ?? "0") * 100);

describe("two margins with one meaning each", () => {
  it("executive_business_summary: monthly_profit stays revenue - cost (= monthly_margin); payment_margin beside it", async () => {
    const [r] = await fx.q<Row>(
      `SELECT monthly_profit::text, monthly_margin::text, payments_received::text, payment_margin::text
         FROM executive_business_summary WHERE tenant_id = $1`,
      [ids.a],
    );
    // revenue 100.00, cost 40.00 + 9.98 = 49.98, payments 60.00
    expect(r).toEqual({
      monthly_profit: "50.02",
      monthly_margin: "50.02",
      payments_received: "60.00",
      payment_margin: "10.02",
    });
  });

  it("business_cost_allocation: monthly_profit stays payments - cost (= payment_margin); monthly_margin beside it", async () => {
    const [r] = await fx.q<Row>(
      `SELECT monthly_profit::text, monthly_margin::text, payment_margin::text FROM business_cost_allocation WHERE tenant_id = $1`,
      [ids.a],
    );
    expect(r).toEqual({ monthly_profit: "10.02", monthly_margin: "50.02", payment_margin: "10.02" });
  });

  it("keeps the old columns first, in their order (existing readers select by position too)", async () => {
    const cols = await fx.q<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = 'executive_business_summary'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(cols.map((c) => c.attname).slice(12, 13)).toEqual(["monthly_profit"]);
    expect(cols.map((c) => c.attname).slice(-3)).toEqual(["monthly_margin", "payments_received", "payment_margin"]);
  });
});

describe("executive_fleet_summary", () => {
  it("shows untracked spend as not known (NULL) before any reconciliation checked the account", async () => {
    const rows = await fx.q<Row>(FLEET);
    expect(rows.map((r) => r.row_kind)).toEqual(["tenant", "unsubscribed", "unallocated", "untracked", "fleet"]);
    expect(rows[3]!.untracked).toBeNull();
    expect(rows[4]!.untracked).toBeNull();
    expect(rows[4]!.cost).toBe("91.48"); // 77.50 VPS + 13.98 IPs, nothing untracked known
  });

  it("has rows that add up to every VPS and IP cost (the modelled cost), to the cent; untracked spend beside it, never in it", async () => {
    await fx.completedRun("12.34", 2);
    const rows = await fx.q<Row>(FLEET);
    const byKind = Object.fromEntries(rows.map((r) => [r.row_kind ?? "", r] as const));
    expect(byKind.tenant).toMatchObject({ tenants: "2", revenue: "129.00", payments: "60.00", vps: "50.00" });
    expect(byKind.tenant!.ip).toBe("10.98");
    expect(byKind.unsubscribed).toMatchObject({ tenants: "1", vps: "7.50", ip: "0.00", revenue: "0.00" });
    expect(byKind.unallocated).toMatchObject({ tenants: null, vps: "20.00", ip: "3.00" });
    // The untracked row has no modelled cost and no margin: its spend is in untracked_cost alone.
    expect(byKind.untracked).toMatchObject({
      untracked: "12.34",
      cost: null,
      monthly_margin: null,
      payment_margin: null,
    });
    // 77.50 VPS + 13.98 IPs = 91.48 modelled; revenue 129.00 - 91.48 = 37.52 (29.09 %); 12.34 untracked beside.
    expect(byKind.fleet).toMatchObject({ revenue: "129.00", cost: "91.48", monthly_margin: "37.52", pct: "29.09" });
    expect(byKind.fleet).toMatchObject({ untracked: "12.34", payment_margin: "-31.48" });

    const [truth] = await fx.q<{ total: string }>(
      `SELECT ((SELECT sum(approximate_cost) FROM vps_instances) + (SELECT sum(approximate_cost) FROM smtp_ip_addresses))::text AS total`,
    );
    const parts = rows.filter((r) => r.row_kind !== "fleet");
    expect(parts.reduce((s, r) => s + cents(r.cost), 0)).toBe(cents(truth!.total));
    expect(cents(byKind.fleet!.cost)).toBe(cents(truth!.total));
    // The tenant row is what readers of the per-tenant view sum.
    const [perTenant] = await fx.q<{ cost: string; revenue: string }>(
      `SELECT sum(total_operational_cost)::text AS cost, sum(monthly_subscription_revenue)::text AS revenue FROM executive_business_summary`,
    );
    expect(cents(byKind.tenant!.cost)).toBe(cents(perTenant!.cost));
    expect(cents(byKind.tenant!.revenue)).toBe(cents(perTenant!.revenue));
  });

  it("reads the same, and adds up, for every fleet-reading role", async () => {
    const expected = await fx.q<Row>(FLEET);
    for (const role of ["executives", "business_analysts", "db_administrators"]) {
      await asRole(role, async (c) => {
        expect((await c.query<Row>(FLEET)).rows).toEqual(expected);
      });
    }
  });

  it("gives a tenant session no fleet row: no grant, and no row even if one were granted", async () => {
    await asRole(
      "application_service",
      async (c) => {
        await expect(c.query(`SELECT * FROM executive_fleet_summary`)).rejects.toThrow(/permission denied/);
      },
      { tenant: ids.a },
    );
    await asRole(
      "application_service",
      async (c) => {
        expect((await c.query(`SELECT * FROM executive_fleet_summary`)).rows).toEqual([]);
        // its own tenant row is all it gets from the per-tenant views
        const own = await c.query<{ tenant_id: string }>(`SELECT tenant_id::text FROM executive_business_summary`);
        expect(own.rows).toEqual([{ tenant_id: ids.a }]);
      },
      { tenant: ids.a, grant: `GRANT SELECT ON executive_fleet_summary TO application_service` },
    );
  });
});

describe("cost_anomalies_recent", () => {
  it("lets executives and analysts read recent anomalies, tenant-free; tenants get a permission error", async () => {
    const run = await fx.completedRun("12.34", 2);
    await fx.q(
      `INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct)
       SELECT $1, 'vps', id, 20.00, 40.00, 20.00, 100.00 FROM vps_instances WHERE tenant_id = $2`,
      [run, ids.a],
    );
    for (const role of ["executives", "business_analysts"]) {
      await asRole(role, async (c) => {
        const rows = (await c.query<Row>(`SELECT change_usd::text, in_latest_run FROM cost_anomalies_recent`)).rows;
        expect(rows).toEqual([{ change_usd: "20.00", in_latest_run: true }]);
        const cols = (await c.query(`SELECT * FROM cost_anomalies_recent LIMIT 0`)).fields.map((f) => f.name);
        expect(cols.filter((n) => n.includes("tenant"))).toEqual([]);
      });
    }
    await asRole(
      "application_service",
      async (c) => {
        await expect(c.query(`SELECT * FROM cost_anomalies_recent`)).rejects.toThrow(/permission denied/);
      },
      { tenant: ids.a },
    );
  });
});
