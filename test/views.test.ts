import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";
import { seedQueries } from "./support/seed-queries.js";
import type pg from "pg";

let db: TestDatabase;
/** The `n` of a `SELECT count(*)::int AS n ...` run on `c`. */
const countOf = async (c: pg.Client, sql: string) => (await c.query<{ n: number }>(sql)).rows[0]!.n;
/** While set, q() runs on this one session instead of opening a connection per statement. */
let session: pg.Client | undefined;
const q = <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  session
    ? session.query<T>(sql, params).then((r) => r.rows)
    : withClient(db.url, async (c) => (await c.query<T>(sql, params)).rows);
/** Runs fn with q() on one session: a seed of hundreds of rows then costs one connection, not hundreds. */
const inOneSession = <T>(fn: () => Promise<T>) =>
  withClient(db.url, async (c) => {
    session = c;
    try {
      return await fn();
    } finally {
      session = undefined;
    }
  });

beforeAll(async () => {
  db = await createMigratedDatabase("cs_views");
});
afterAll(() => db.drop());

/** A tenant with a company, an active subscription on a plan, and optional payments and usage. */
async function tenant(
  name: string,
  planCents: number,
  o: { companies?: string[]; payments?: string[]; emails?: number } = {},
) {
  const [t] = await q<{ id: string }>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, [name]);
  for (const c of o.companies ?? [`${name} Inc.`])
    await q(`INSERT INTO companies (tenant_id, name) VALUES ($1, $2)`, [t!.id, c]);
  const [p] = await q<{ id: string }>(
    `INSERT INTO plans (name, slug, price_monthly) VALUES ($1, $2, $3) RETURNING id::text`,
    [`Plan ${name}`, `plan-${name}-${Math.random()}`, planCents],
  );
  const [s] = await q<{ id: string }>(
    `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
     VALUES ($1, $2, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month') RETURNING id::text`,
    [t!.id, p!.id],
  );
  for (const amount of o.payments ?? []) {
    await q(
      `INSERT INTO payments (subscription_id, amount, status, billing_period_start) VALUES ($1, $2, 'succeeded', now())`,
      [s!.id, amount],
    );
  }
  if (o.emails)
    await q(
      `INSERT INTO billing_analytics (tenant_id, subscription_id, emails_sent, period_start, period_end) VALUES ($1, $2, $3, now() - interval '2 days', now())`,
      [t!.id, s!.id, o.emails],
    );
  await q(`INSERT INTO domains (tenant_id, domain) VALUES ($1, $2)`, [t!.id, `${name}.example`]);
  return { id: t!.id, subscriptionId: s!.id };
}
async function vps(cost: string, owner: string | null, ips: string[] = [], status = "active") {
  const [v] = await q<{ id: string }>(
    `INSERT INTO vps_instances (status, tenant_id, approximate_cost) VALUES ($1, $2, $3) RETURNING id::text`,
    [status, owner, cost],
  );
  const ipIds: string[] = [];
  for (const c of ips)
    ipIds.push(
      (
        await q<{ id: string }>(
          `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost) VALUES ($1, '10.0.0.1', 'warmed', $2) RETURNING id::text`,
          [v!.id, c],
        )
      )[0]!.id,
    );
  return { id: v!.id, ipIds };
}
async function assign(tenantId: string, ipId: string, status = "active") {
  await q(
    `INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status) SELECT id, $2, $3 FROM domains WHERE tenant_id = $1 LIMIT 1`,
    [tenantId, ipId, status],
  );
}
const refresh = async () => {
  await q(`REFRESH MATERIALIZED VIEW CONCURRENTLY cost_attribution_by_tenant`);
  await q(`REFRESH MATERIALIZED VIEW CONCURRENTLY tenant_business_snapshot`);
};
const summary = (id: string) =>
  q<Record<string, string>>(`SELECT * FROM executive_business_summary WHERE tenant_id = $1`, [id]).then((r) => r[0]!);

describe("executive views", () => {
  it("hold the seed's own example: 3 x 150, 2 x 200, 1 x 100", async () => {
    const a = await tenant("a", 100_000);
    const b = await tenant("b", 100_000);
    const c = await tenant("c", 100_000);
    for (let i = 0; i < 3; i++) await vps("150.00", a.id);
    for (let i = 0; i < 2; i++) await vps("200.00", b.id);
    await vps("100.00", c.id);
    await vps("999.00", null); // an unowned, unassigned VPS charges nobody
    await refresh();
    expect((await summary(a.id)).infrastructure_costs).toBe("450.00");
    expect((await summary(b.id)).infrastructure_costs).toBe("400.00");
    expect((await summary(c.id)).infrastructure_costs).toBe("100.00");
    const [un] = await q<{ vps_cost: string }>(
      `SELECT vps_cost::text FROM tenant_cost_attribution WHERE tenant_id IS NULL`,
    );
    expect(un!.vps_cost).toBe("999.00");
  });

  it("give one row per tenant, with a deterministic company, revenue in dollars and payments kept out of cost", async () => {
    const t = await tenant("multi", 2900, {
      companies: ["Zeta Co", "Alpha Co"],
      payments: ["29.00", "29.00"],
      emails: 1000,
    });
    await vps("10.00", t.id, ["4.99", "4.99"]);
    await refresh();
    const rows = await q<Record<string, string>>(`SELECT * FROM executive_business_summary WHERE tenant_id = $1`, [
      t.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      company_name: "Zeta Co",
      monthly_subscription_revenue: "29.00",
      infrastructure_costs: "10.00",
      email_service_costs: "9.98",
      total_operational_cost: "19.98",
      monthly_profit: "9.02",
      business_health_status: "Monitor",
    });
    expect(rows[0]!.gross_margin_ratio).toBe("1.45"); // revenue ÷ cost, the seed's meaning
    expect(rows[0]!.gross_margin_percent).toBe("31.10");
    const [alloc] = await q<Record<string, string>>(`SELECT * FROM business_cost_allocation WHERE tenant_id = $1`, [
      t.id,
    ]);
    expect(alloc).toMatchObject({
      total_monthly_cost: "19.98",
      payments_received: "58.00",
      monthly_profit: "38.02",
      cost_per_email_delivered: "0.0200",
      emails_sent_30d: "1000",
    });
    await q(`UPDATE system_config SET value = '"dollars"' WHERE key = 'cost_sync.plan_price_unit'`);
    await refresh();
    expect((await summary(t.id)).monthly_subscription_revenue).toBe("2900.00");
    await q(`UPDATE system_config SET value = '"cents"' WHERE key = 'cost_sync.plan_price_unit'`);
    await refresh();
  });

  it("define the division-by-zero cases", async () => {
    const free = await tenant("free", 0);
    const idle = await tenant("idle", 5000);
    await vps("5.00", free.id);
    await refresh();
    expect(await summary(free.id)).toMatchObject({
      gross_margin_ratio: "0.00",
      gross_margin_percent: null,
      cost_efficiency_score: "0.00",
      business_health_status: "Critical Action Required",
    });
    expect(await summary(idle.id)).toMatchObject({
      total_operational_cost: "0.00",
      gross_margin_ratio: "0.00",
      cost_efficiency_score: "100.00",
      business_health_status: "Excellent",
    });
  });

  it("run the seed's dashboard, cost analysis and validation queries verbatim, and validation says only PASS", async () => {
    // Tenants of its own with costs to validate (after the tests before, more of them).
    for (const [name, cost] of [
      ["val-a", "150.00"],
      ["val-b", "200.00"],
      ["val-c", "100.00"],
      ["val-d", "5.00"],
    ])
      await vps(cost!, (await tenant(name!, 100_000)).id);
    await refresh();
    const sections = ["Executive Dashboard Queries", "Cost Analysis Queries", "Business Logic Validation"];
    let ran = 0;
    for (const section of sections) {
      for (const sql of seedQueries(section)) {
        const rows = await q(sql);
        ran++;
        for (const r of rows)
          for (const [k, v] of Object.entries(r)) if (k.endsWith("_validation")) expect(v).toBe("PASS");
      }
    }
    expect(ran).toBe(6);
    const validation = seedQueries("Business Logic Validation").at(-1)!;
    expect((await q(validation)).length).toBeGreaterThan(3);
  });
});

describe("attribution", () => {
  it("splits shared VPS and IPs by active assignments, to the cent, and keeps attributed + unallocated = total", async () => {
    // ~350 statements: on one session, since a connection each costs ~0.1 s on a loaded machine (30 s timeout).
    await inOneSession(async () => {
      const tenants: { id: string }[] = [];
      for (let i = 0; i < 7; i++) tenants.push(await tenant(`r${i}`, 1000 * (i + 1)));
      let seed = 42;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const cents = () => (Math.floor(rnd() * 100_000) / 100).toFixed(2);
      for (let v = 0; v < 60; v++) {
        const owner = rnd() < 0.4 ? tenants[Math.floor(rnd() * tenants.length)]!.id : null;
        const { ipIds } = await vps(
          cents(),
          owner,
          Array.from({ length: Math.floor(rnd() * 4) }, () => (Math.floor(rnd() * 1000) / 100).toFixed(2)),
          rnd() < 0.1 ? "decommissioned" : "active",
        );
        for (const ip of ipIds) {
          const holders = Math.floor(rnd() * 4);
          for (let k = 0; k < holders; k++)
            await assign(
              tenants[Math.floor(rnd() * tenants.length)]!.id,
              ip,
              ["active", "warming", "expired", "scheduled"][Math.floor(rnd() * 4)],
            );
        }
      }
    });
    await refresh();
    const [totals] = await q<{ vps: string; ip: string }>(
      `SELECT (SELECT sum(approximate_cost) FROM vps_instances)::text AS vps, (SELECT sum(approximate_cost) FROM smtp_ip_addresses)::text AS ip`,
    );
    const [attributed] = await q<{ vps: string; ip: string }>(
      `SELECT sum(vps_cost)::text AS vps, sum(ip_cost)::text AS ip FROM tenant_cost_attribution`,
    );
    expect(attributed).toEqual(totals);
    const [shared] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM tenant_cost_attribution WHERE tenant_id IS NOT NULL`,
    );
    expect(shared!.n).toBeGreaterThan(3);
  });

  it("splits one shared IP evenly and the VPS by assignments, remainder cents by largest remainder", async () => {
    const x = await tenant("split-x", 100);
    const y = await tenant("split-y", 100);
    const z = await tenant("split-z", 100);
    const { ipIds } = await vps("10.00", null, ["1.00", "4.99"]);
    await assign(x.id, ipIds[0]!);
    await assign(y.id, ipIds[0]!);
    await assign(z.id, ipIds[0]!);
    await assign(x.id, ipIds[1]!, "warming");
    await refresh();
    const got = await q<{ tenant_id: string; vps_cost: string; ip_cost: string }>(
      `SELECT tenant_id::text, vps_cost::text, ip_cost::text FROM tenant_cost_attribution WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id`,
      [[x.id, y.id, z.id]],
    );
    const byId = Object.fromEntries(got.map((r) => [r.tenant_id, r]));
    // VPS 10.00 by assignments 2:1:1 -> 5.00, 2.50, 2.50. IP 1.00 / 3 -> 0.34 + 0.33 + 0.33; IP 4.99 -> x.
    expect(byId[x.id]!.vps_cost).toBe("5.00");
    expect(Number(byId[y.id]!.vps_cost) + Number(byId[z.id]!.vps_cost)).toBe(5);
    const ipTotal = got.reduce((s, r) => s + Math.round(Number(r.ip_cost) * 100), 0);
    expect(ipTotal).toBe(599);
  });
});

describe("access control", () => {
  // Tenants of their own for each test (more than five, each with a cost), after whatever the tests before left.
  let made = 0;
  beforeEach(async () => {
    for (let i = 0; i < 6; i++) await vps("10.00", (await tenant(`acl-${String(made++)}`, 5000)).id);
    await refresh();
  });

  const asRole = (role: string, fn: (c: pg.Client) => Promise<void>, tenantSetting?: string) =>
    withClient(db.url, async (c) => {
      await c.query("BEGIN");
      try {
        if (tenantSetting !== undefined)
          await c.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantSetting]);
        await c.query(`SET LOCAL ROLE ${role}`);
        await fn(c);
      } finally {
        await c.query("ROLLBACK");
      }
    });

  it("creates the group roles as NOLOGIN and grants nothing to PUBLIC", async () => {
    const roles = await q<{ rolname: string; rolcanlogin: boolean }>(
      `SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('business_analysts','application_service','db_administrators','executives') ORDER BY 1`,
    );
    expect(roles.map((r) => r.rolname)).toEqual([
      "application_service",
      "business_analysts",
      "db_administrators",
      "executives",
    ]);
    expect(roles.every((r) => !r.rolcanlogin)).toBe(true);
    const [pub] = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.role_table_grants WHERE grantee = 'PUBLIC' AND table_name IN ('executive_business_summary','business_cost_allocation','tenant_cost_attribution')`,
    );
    expect(pub!.n).toBe(0);
  });

  it("lets internal roles see every tenant", async () => {
    const [{ n: all }] = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM executive_business_summary`)) as [
      { n: number },
    ];
    expect(all).toBeGreaterThan(5);
    for (const role of ["business_analysts", "executives", "db_administrators"]) {
      await asRole(role, async (c) => {
        expect(await countOf(c, `SELECT count(*)::int AS n FROM executive_business_summary`)).toBe(all);
        expect(await countOf(c, `SELECT count(*)::int AS n FROM business_cost_allocation`)).toBe(all);
      });
    }
  });

  it("cannot be fooled by a role that answers pg_has_role() itself from a schema of its own", async () => {
    const [one] = await q<{ tenant_id: string }>(`SELECT tenant_id::text FROM executive_business_summary LIMIT 1`);
    const role = `cs_hijack_${Math.random().toString(36).slice(2, 10)}`;
    await q(`CREATE ROLE ${role} NOLOGIN IN ROLE application_service`);
    try {
      await q(`CREATE SCHEMA ${role} AUTHORIZATION ${role}`);
      await withClient(db.url, async (c) => {
        await c.query(`SET ROLE ${role}`);
        await c.query(
          `CREATE FUNCTION ${role}.pg_has_role(name, text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true'`,
        );
      });
      await asRole(
        role,
        async (c) => {
          // Its own schema before pg_catalog: an unqualified pg_has_role() would now be the impostor.
          await c.query(`SET LOCAL search_path = ${role}, pg_catalog, public`);
          const rows = (await c.query(`SELECT tenant_id::text FROM executive_business_summary`)).rows;
          expect(rows).toEqual([{ tenant_id: one!.tenant_id }]);
          expect(await countOf(c, `SELECT count(*)::int AS n FROM tenant_cost_attribution`)).toBeLessThanOrEqual(1);
        },
        one!.tenant_id,
      );
    } finally {
      await q(`DROP SCHEMA IF EXISTS ${role} CASCADE`);
      await q(`DROP ROLE ${role}`);
    }
  });

  it("shows application_service only the tenant in app.current_tenant_id, and nothing when unset or malformed", async () => {
    const [one] = await q<{ tenant_id: string }>(`SELECT tenant_id::text FROM executive_business_summary LIMIT 1`);
    await asRole(
      "application_service",
      async (c) => {
        const rows = (await c.query(`SELECT tenant_id::text FROM executive_business_summary`)).rows;
        expect(rows).toEqual([{ tenant_id: one!.tenant_id }]);
        expect(await countOf(c, `SELECT count(*)::int AS n FROM business_cost_allocation`)).toBe(1);
      },
      one!.tenant_id,
    );
    await asRole("application_service", async (c) => {
      expect(await countOf(c, `SELECT count(*)::int AS n FROM executive_business_summary`)).toBe(0);
    });
    await asRole(
      "application_service",
      async (c) => {
        expect(await countOf(c, `SELECT count(*)::int AS n FROM executive_business_summary`)).toBe(0);
        expect(await countOf(c, `SELECT count(*)::int AS n FROM tenant_cost_attribution`)).toBe(0);
      },
      "not-a-uuid'; DROP TABLE tenants; --",
    );
    await asRole("application_service", async (c) => {
      await expect(c.query(`SELECT * FROM vps_instances`)).rejects.toThrow(/permission denied/);
    });
  });

  it("gives a role without a grant a permission error", async () => {
    await q(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cost_sync_test_nogrant') THEN CREATE ROLE cost_sync_test_nogrant NOLOGIN; END IF; END $$`,
    );
    for (const view of ["executive_business_summary", "business_cost_allocation", "tenant_cost_attribution"]) {
      await asRole("cost_sync_test_nogrant", async (c) => {
        await expect(c.query(`SELECT * FROM ${view}`)).rejects.toThrow(/permission denied/);
      });
    }
  });
});
