import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharesOf, tenantResources } from "../src/db/read-models/explain.js";
import { createDb } from "../src/db/client.js";
import { centsOf, formatCents } from "../src/money.js";
import pg from "pg";
import { Capture, runInProcess } from "./support/cli-streams.js";
import { Harness } from "./support/harness.js";

/** What the JSON of `explain` and `history` holds, as far as this file reads it. */
interface Split {
  kind: string;
  resourceId: string;
  tenantId: string | null;
  resourceCost: string;
  share: string;
}
interface TenantJson {
  shares: Split[];
  sharesTotal: string;
  attributionTotal: string;
  matches: boolean;
}

/** Company names come from tenants: the hostile ones a report must print harmlessly. */
const NAMES = ['=HYPERLINK("http://x")', "@SUM(A1)", "\u001b[31mred"];
const OPERATOR = "prov-operator";
const h = new Harness();
let env: Record<string, string>;
const tenant: string[] = [];
let dedicated: string;
let shared: string;
let ips: string[] = [];
const one = async <T>(sql: string, params: unknown[] = []) => (await h.sql<T & pg.QueryResultRow>(sql, params))[0]!;

beforeAll(async () => {
  await h.setup();
  env = { DATABASE_URL: h.db.url, QUEUE_PREFIX: h.prefix, COST_SYNC_OPERATOR: OPERATOR };
  process.env.COST_SYNC_OPERATOR = OPERATOR;
  await h.sql(`INSERT INTO plans (name, slug, price_monthly) VALUES ('Pro', 'pro', 4900)`);
  for (const [i, name] of NAMES.entries()) {
    const { id } = await one<{ id: string }>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, [
      `tenant ${i}`,
    ]);
    tenant.push(id);
    await h.sql(`INSERT INTO companies (tenant_id, name, workspace_name) VALUES ($1, $2, $3)`, [id, name, `ws${i}`]);
    await h.sql(
      `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
       SELECT $1, id, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month' FROM plans`,
      [id],
    );
    for (const d of [1, 2])
      await h.sql(`INSERT INTO domains (tenant_id, domain) VALUES ($1, $2)`, [id, `d${d}.t${i}.example`]);
  }
  ({ id: dedicated } = await one<{ id: string }>(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, tenant_id, approximate_cost, approximate_cost_source)
     VALUES ('5001', 'active', $1, 20.00, 'get_price_list rid 11 annually / 12 months') RETURNING id::text`,
    [tenant[0]],
  ));
  ({ id: shared } = await one<{ id: string }>(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost, approximate_cost_source)
     VALUES ('0030', 'active', 10.00, 'get_price_list rid 12 monthly') RETURNING id::text`,
  ));
  await h.sql(
    `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost) VALUES ($1, '198.51.100.1', 'warmed', 4.99)`,
    [dedicated],
  );
  ips = (
    await h.sql<{ id: string }>(
      `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost)
       SELECT $1, '203.0.113.' || g, 'warming', 4.99 FROM generate_series(1, 3) g RETURNING id::text`,
      [shared],
    )
  ).map((r) => r.id);
  // Tenant 0: both its domains on the first IP, one on the second; tenant 1: one on the second; the third IP: nobody.
  const assign = (t: string, ip: string, n: number) =>
    h.sql(
      `INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status)
       SELECT id, $2, 'active' FROM domains WHERE tenant_id = $1 ORDER BY domain LIMIT $3`,
      [t, ip, n],
    );
  await assign(tenant[0]!, ips[0]!, 2);
  await assign(tenant[0]!, ips[1]!, 1);
  await assign(tenant[1]!, ips[1]!, 1);
  expect((await runInProcess(["refresh"], { env })).code).toBe(0);
});
afterAll(() => h.teardown());

describe("provenance commands", { timeout: 60_000 }, () => {
  it("explains a shared VPS found by its serviceid: plan, cycle, IPs and the tenant split", async () => {
    const r = await runInProcess(["explain", "vps", "30", "--json"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as {
      vps: Record<string, unknown>;
      ips: { count: number; monthlyUsd: string };
      split: Split[];
    };
    expect(d.vps).toMatchObject({
      id: shared,
      serviceid: "0030",
      shared: true,
      planRid: "12",
      cycle: "monthly",
      cost: "10.00",
    });
    expect(d.ips).toMatchObject({ count: 3, monthlyUsd: "14.97" });
    const of = (id: string) =>
      Object.fromEntries(d.split.filter((x) => x.resourceId === id).map((x) => [x.tenantId ?? "unallocated", x.share]));
    // The VPS by assignments: tenant 0 holds 3 of the 4, tenant 1 one.
    expect(of(shared)).toEqual({ [tenant[0]!]: "7.50", [tenant[1]!]: "2.50" });
    expect(of(ips[0]!)).toEqual({ [tenant[0]!]: "4.99" });
    const second = Object.values(of(ips[1]!)).sort();
    expect(second).toEqual(["2.49", "2.50"]); // evenly, the odd cent by largest remainder
    expect(of(ips[2]!)).toEqual({ unallocated: "4.99" });
    const text = await runInProcess(["explain", "vps", shared], { env });
    expect(text.stdout).toContain("plan: rid 12\ncycle: monthly\n");
    expect(text.stdout).toContain("owner: none (shared");
  });

  it("explains a tenant's cost as shares that sum to tenant_cost_attribution, for every tenant", async () => {
    const r = await runInProcess(["explain", "tenant", tenant[0]!, "--json"], { env });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as TenantJson;
    // Dedicated VPS 20.00 and its IP 4.99, 7.50 of the shared VPS, the first IP, part of the second.
    expect(d).toMatchObject({ attributionTotal: d.sharesTotal, matches: true });
    expect(["39.98", "39.97"]).toContain(d.sharesTotal);
    expect(d.shares.map((x) => x.share).sort()).toEqual(expect.arrayContaining(["20.00", "7.50", "4.99"]));
    // The same rules as the materialised view, for every tenant (and so the shares SQL cannot drift from it).
    const pool = new pg.Pool({ connectionString: h.db.url, max: 1 });
    const db = createDb(pool);
    try {
      const totals = await h.sql<{ tenant_id: string; total: string }>(
        `SELECT tenant_id::text, total_cost::text AS total FROM tenant_cost_attribution WHERE tenant_id IS NOT NULL`,
      );
      expect(totals.length).toBe(2);
      for (const t of totals) {
        const shares = (await sharesOf(db, await tenantResources(db, t.tenant_id))).filter(
          (x) => x.tenantId === t.tenant_id,
        );
        expect(formatCents(shares.reduce((s, x) => s + (centsOf(x.share) ?? 0n), 0n))).toBe(t.total);
      }
    } finally {
      await db.$disconnect();
      await pool.end();
    }
  });

  it("says when the attribution is older than the figures", async () => {
    await h.sql(`UPDATE vps_instances SET approximate_cost = 21.00 WHERE id = $1`, [dedicated]);
    const r = await runInProcess(["explain", "tenant", tenant[0]!], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /but tenant_cost_attribution says .*: the attribution predates the latest changes; run `cost-sync refresh`/,
    );
    await h.sql(`UPDATE vps_instances SET approximate_cost = 20.00 WHERE id = $1`, [dedicated]);
  });

  it("lists a VPS's cost history newest first, with job and operator, and caps it with its total", async () => {
    expect((await runInProcess(["override", "vps", "5001", "25.00", "--reason", "contract A"], { env })).code).toBe(0);
    expect((await runInProcess(["override", "vps", dedicated, "26.00"], { env })).code).toBe(0);
    const r = await runInProcess(["history", "vps", "5001", "--limit", "1", "--json"], { env });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { history: { total: number; shown: Record<string, string>[] } };
    expect(d.history.total).toBe(2);
    expect(d.history.shown).toEqual([
      expect.objectContaining({ oldValue: "25.00", newValue: "26.00", source: "override", changedBy: OPERATOR }),
    ]);
    expect(d.history.shown[0]!.jobId).toMatch(/^cli-/);
    const text = await runInProcess(["history", "vps", dedicated, "--limit", "1"], { env });
    expect(text.stdout).toContain(`vps ${dedicated}: 1 of 2 change(s), newest first`);
    expect((await runInProcess(["history", "vps", dedicated, "--limit", "0"], { env })).code).toBe(2);
    expect((await runInProcess(["history", "ip", "5001"], { env })).code).toBe(2);
  });

  it("lists anomalies since a date and of one run, and refuses a bad date or an unknown run", async () => {
    const { id: run } = await one<{ id: string }>(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, status) VALUES ('j-1', 'manual', 'completed') RETURNING id::text`,
    );
    await h.sql(
      `INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct)
       VALUES ($1, 'vps', $2, 10.00, 30.00, 20.00, 200.00), (NULL, 'vps', $3, 20.00, 5.00, -15.00, -75.00)`,
      [run, shared, dedicated],
    );
    const all = JSON.parse((await runInProcess(["anomalies", "--json"], { env })).stdout) as {
      anomalies: { total: number; shown: Record<string, string | null>[] };
    };
    expect(all.anomalies.total).toBe(2);
    const ofRun = JSON.parse((await runInProcess(["anomalies", "--run", run, "--json"], { env })).stdout) as typeof all;
    expect(ofRun.anomalies.shown).toEqual([
      expect.objectContaining({
        runId: run,
        resourceId: shared,
        serviceid: "0030",
        changeUsd: "20.00",
        changePct: "200.00",
      }),
    ]);
    const future = JSON.parse(
      (await runInProcess(["anomalies", "--since", "2999-01-01", "--json"], { env })).stdout,
    ) as typeof all;
    expect(future.anomalies).toEqual({ total: 0, shown: [] });
    expect((await runInProcess(["anomalies", "--since", "2026-02-30"], { env })).stderr).toMatch(/YYYY-MM-DD/);
    const unknown = await runInProcess(["anomalies", "--run", "00000000-0000-4000-8000-000000000000"], { env });
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toMatch(/no reconciliation run/);
  });

  it("prints company names from tenants harmlessly: CSV neutralised, terminal cells cleaned, JSON exact", async () => {
    const csv = await runInProcess(["report", "allocation", "--csv"], { env });
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.stdout).toContain(",'@SUM(A1),");
    expect(csv.stdout).not.toMatch(/(^|,)[=@]/m);
    const out = new Capture({ tty: true, columns: 100 });
    const table = await runInProcess(["report", "allocation"], { env, out });
    expect(table.code).toBe(0);
    expect(out.text).not.toContain("\u001b");
    expect(out.text).toContain("red");
    expect(Math.max(...out.text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
    const wide = new Capture({ tty: true, columns: 100 });
    await runInProcess(["report", "allocation", "--wide"], { env, out: wide });
    expect(Math.max(...wide.text.split("\n").map((l) => l.length))).toBeGreaterThan(100);
    const json = JSON.parse((await runInProcess(["report", "allocation", "--json"], { env })).stdout) as Record<
      "tenants" | "fleet",
      Record<string, string>[]
    >;
    expect(json.tenants.map((r) => r.companyName).sort()).toEqual([...NAMES].sort());
    expect(json.fleet.map((r) => r.rowKind)).toEqual(["unsubscribed", "unallocated", "untracked", "fleet"]);
  });
});
