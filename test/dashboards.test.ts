import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInvoiceAccuracy } from "../src/db/read-models/executive-extras.js";
import { openDatabase } from "../src/infrastructure.js";
import { createMetrics } from "../src/ops/metrics.js";
import { fractionToPercent } from "../src/reports/decimal.js";
import { Resources } from "../src/resources.js";
import { metricNamesIn, queryableNames } from "./support/exposition.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";
import { expandMacros, type Dashboard } from "./support/grafana.js";
import { findPromtool, REPO_ROOT, runPromtool, skippedLine } from "./support/promtool.js";
import type pg from "pg";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const dashboards: Record<string, Dashboard> = {
  operations: JSON.parse(read("deploy/grafana/dashboards/cost-sync-operations.json")) as Dashboard,
  executive: JSON.parse(read("deploy/grafana/dashboards/cost-sync-executive.json")) as Dashboard,
};

/** uid -> type of each provisioned data source (our own small YAML: one `- name:` block per source). */
function provisionedDatasources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const block of read("deploy/grafana/provisioning/datasources/cost-sync.yml")
    .split(/^ {2}- name:/m)
    .slice(1)) {
    const uid = /^ {4}uid: (\S+)$/m.exec(block)?.[1];
    const type = /^ {4}type: (\S+)$/m.exec(block)?.[1];
    if (uid && type) sources.set(uid, type);
  }
  return sources;
}

/** Panels that query something (rows and text panels do not). */
const queryPanels = (d: Dashboard) => d.panels.filter((p) => p.type !== "row" && p.type !== "text");
const targetsOf = (d: Dashboard, type: string) =>
  queryPanels(d).flatMap((p) =>
    (p.targets ?? [])
      .filter((t) => (t.datasource ?? p.datasource)?.type === type)
      .map((t) => ({ panel: p.title, ...t })),
  );

describe("Grafana dashboards", () => {
  it("parse, with unique panel ids and a uid of their own", () => {
    for (const [name, d] of Object.entries(dashboards)) {
      expect(d.uid, name).toBe(`cost-sync-${name}`);
      expect(new Set(d.panels.map((p) => p.id)).size, name).toBe(d.panels.length);
      expect(queryPanels(d).length, name).toBeGreaterThan(3);
    }
  });

  it("query only data sources that are provisioned, with their type", () => {
    const sources = provisionedDatasources();
    expect([...sources.values()].sort()).toEqual(["grafana-postgresql-datasource", "prometheus"]);
    for (const d of Object.values(dashboards)) {
      for (const p of queryPanels(d)) {
        const where = `${d.uid} / ${p.title}`;
        expect(p.datasource?.uid && sources.get(p.datasource.uid), where).toBe(p.datasource?.type);
        expect(p.targets?.length, where).toBeGreaterThan(0);
        for (const t of p.targets ?? []) {
          expect(t.datasource?.uid && sources.get(t.datasource.uid), `${where} ${t.refId}`).toBe(t.datasource?.type);
        }
      }
    }
  });

  it("name in Prometheus queries only metrics the worker exposes", async () => {
    const metrics = createMetrics({
      readStatus: () =>
        Promise.resolve({
          queue: { waiting: 1 },
          failedJobs: 0,
          unpricedVps: 0,
          openAnomalies: 0,
          attributionRefreshedAt: new Date(),
          lastSuccessfulReconciliationAt: new Date(),
          untracked: { instances: 0, monthlyUsd: "0.00" },
        }),
    });
    const exposed = queryableNames(await metrics.registry.metrics());
    const targets = targetsOf(dashboards.operations!, "prometheus");
    expect(targets.length).toBeGreaterThan(10);
    const required = [
      "cost_sync_queue_jobs",
      "cost_sync_failed_jobs",
      "cost_sync_hostwinds_requests_total",
      "cost_sync_job_duration_seconds_bucket",
      "cost_sync_last_successful_reconciliation_timestamp_seconds",
      "cost_sync_unpriced_vps",
      "cost_sync_hostwinds_auth_failures_total",
    ];
    const used = new Set<string>();
    for (const t of targets) {
      const names = metricNamesIn(t.expr ?? "");
      expect(names.length, `${t.panel}: ${t.expr}`).toBeGreaterThan(0);
      expect(
        names.filter((n) => !exposed.has(n)),
        `${t.panel}: ${t.expr}`,
      ).toEqual([]);
      for (const n of names) used.add(n);
    }
    expect(required.filter((n) => !used.has(n))).toEqual([]);
  });

  const promtool = findPromtool();
  if (!promtool) console.warn(skippedLine("check rules (dashboard PromQL)"));

  it.skipIf(!promtool)("have Prometheus queries that parse (promtool check rules on them as recording rules)", () => {
    // Grafana's range variables become plain durations; each query becomes a recording rule promtool parses.
    const rules = targetsOf(dashboards.operations!, "prometheus").map(
      (t, i) =>
        `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify((t.expr ?? "").replace(/\$__(rate_interval|range|interval)/g, "5m"))}`,
    );
    const dir = mkdtempSync(join(tmpdir(), "cost-sync-dashboard-"));
    try {
      const file = join(dir, "queries.yml");
      writeFileSync(file, `groups:\n  - name: dashboard\n    rules:\n${rules.join("\n")}\n`);
      const r = runPromtool(promtool!, ["check", "rules", file]);
      expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("executive dashboard SQL, as a read-only member of executives", () => {
  let db: TestDatabase;
  const reader = `cs_grafana_${randomBytes(4).toString("hex")}`;
  const admin = <R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    withClient(db.url, (c) => c.query<R>(sql, params));
  /** Runs `sql` the way Grafana's data source does: as the reader role, read-only. */
  const asReader = (sql: string) =>
    withClient(db.url, async (c: pg.Client) => {
      await c.query(`SET ROLE ${reader}`);
      await c.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
      return (await c.query<Record<string, unknown>>(expandMacros(sql))).rows;
    });
  const sqlOf = (title: string) => {
    const t = targetsOf(dashboards.executive!, "grafana-postgresql-datasource").find((x) => x.panel === title);
    if (!t?.rawSql) throw new Error(`no panel ${title}`);
    return t.rawSql;
  };

  beforeAll(async () => {
    db = await createMigratedDatabase("cs_dash");
    await admin(`CREATE ROLE ${reader} NOLOGIN IN ROLE executives`);
    // One tenant with a subscription ($50) and a $20 VPS, one without a subscription bearing $7.50, and a $30 VPS nobody bears.
    const tenant = async (name: string) =>
      (await admin<{ id: string }>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, [name])).rows[0]!.id;
    const acme = await tenant("acme");
    const idle = await tenant("idle");
    await admin(`INSERT INTO companies (tenant_id, name) VALUES ($1, 'Acme Inc.')`, [acme]);
    const plan = (
      await admin<{ id: string }>(
        `INSERT INTO plans (name, slug, price_monthly) VALUES ('Pro', 'pro-dash', 5000) RETURNING id`,
      )
    ).rows[0]!.id;
    await admin(
      `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
       VALUES ($1, $2, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month')`,
      [acme, plan],
    );
    for (const [owner, cost] of [
      [acme, "20.00"],
      [idle, "7.50"],
      [null, "30.00"],
    ] as const) {
      await admin(`INSERT INTO vps_instances (status, tenant_id, approximate_cost) VALUES ('active', $1, $2)`, [
        owner,
        cost,
      ]);
    }
    await admin(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
    await admin(`REFRESH MATERIALIZED VIEW tenant_business_snapshot`);
  });
  afterAll(async () => {
    await db.drop();
    await withClient(db.url.replace(/\/[^/]+$/, "/postgres"), (c) => c.query(`DROP ROLE IF EXISTS ${reader}`));
  });

  it("every panel's query runs", async () => {
    const targets = targetsOf(dashboards.executive!, "grafana-postgresql-datasource");
    expect(targets.length).toBeGreaterThan(6);
    // Each runs as an executive and has something to show on the seeded fleet, but these three: invoice
    // accuracy (no invoice is imported yet; its own test below stores two months), the trend (no month is
    // closed yet; its own test below closes one) and the forecast (it reads executive_cost_forecast, which
    // has no rows before a forecast is stored; nothing here stores one).
    const empty: string[] = [];
    for (const t of targets) if ((await asReader(t.rawSql ?? "")).length === 0) empty.push(t.panel);
    expect(empty).toEqual([
      "Invoice accuracy, latest imported month",
      "Monthly cost, revenue and margin (all tenants)",
      "Forecast of month-end cost (fleet): p10, p50, p90",
    ]);
  });

  it("fleet totals include the unallocated cost, and the margin is all revenue minus all cost", async () => {
    const rows = await asReader(sqlOf("Fleet totals"));
    const byShare = Object.fromEntries(rows.map((r) => [r.Share as string, r]));
    expect(byShare["Attributed to tenants"]).toMatchObject({ Total: "27.50" });
    expect(byShare.Unallocated).toMatchObject({ Total: "30.00" });
    expect(byShare.Fleet).toMatchObject({ Total: "57.50", Revenue: "50.00", Margin: "-7.50" });
    expect((await asReader(sqlOf("Unallocated")))[0]).toEqual({ Unallocated: "30.00" });
  });

  it("shows untracked spend beside the modelled cost, not in it: not known before a reconciliation checked", async () => {
    const untracked = sqlOf("Untracked spend (not in modelled cost)");
    expect(await asReader(untracked)).toEqual([{ "Untracked spend": null }]);
    await admin(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, started_at, finished_at, untracked_instances,
                                             untracked_unpriced, untracked_monthly_cost, ghost_rows)
       VALUES ('dash-run', 'test', 'completed', now(), now(), 2, 0, 24.98, 0)`,
    );
    expect(await asReader(untracked)).toEqual([{ "Untracked spend": "24.98" }]);
    // The modelled cost is unchanged by it: attributed + unallocated.
    expect(await asReader(sqlOf("Modelled monthly cost"))).toEqual([{ "Modelled monthly cost": "57.50" }]);
  });

  it("shows the invoice accuracy of the latest imported month, as the executive page's card reads it", async () => {
    const accuracy = sqlOf("Invoice accuracy, latest imported month");
    expect(await asReader(accuracy)).toEqual([]); // none imported: the panel says so (noValue)
    // Two imported months: September 100.00 invoiced against 90.00 modelled (0.9000), October 50.00
    // invoiced against 49.00 modelled (0.9800). The panel shows October's.
    for (const [month, invoiced, modelled] of [
      ["2026-09-01", "100.00", "90.00"],
      ["2026-10-01", "50.00", "49.00"],
    ]) {
      await admin(
        `INSERT INTO invoice_month_totals (month, total_usd, ip_lines, ip_invoiced_usd, other_lines, other_spend_usd,
                                           unmatched_lines, unmatched_usd)
         VALUES ($1, $2, 0, 0, 0, 0, 0, 0)`,
        [month, invoiced],
      );
      await admin(
        `INSERT INTO invoice_vps_months (month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from)
         VALUES ($1, gen_random_uuid(), $2, 1, $3, 'current')`,
        [month, invoiced, modelled],
      );
    }
    expect(await asReader(accuracy)).toEqual([{ Month: "2026-10", Accuracy: "98.00" }]);
    // The page's card: the same month and accuracy (a fraction there, "98.00%" on the card).
    const res = new Resources();
    try {
      const page = await loadInvoiceAccuracy(openDatabase(res, db.url, { poolSize: 1 }).db);
      expect(page).toMatchObject({ month: "2026-10", accuracy: "0.9800", previous: { month: "2026-09" } });
      expect(fractionToPercent(page!.accuracy!)).toBe("98.00"); // the panel's Accuracy, to the hundredth
    } finally {
      await res.close();
    }
  });

  it("the top 20 shows tenants bearing cost, with or without a subscription", async () => {
    const rows = await asReader(sqlOf("Cost and margin, top 20 tenants by modelled cost"));
    expect(rows.map((r) => [r.Tenant, r["Modelled cost"], r.Revenue, r.Margin, r.Health])).toEqual([
      ["Acme Inc.", "20.00", "50.00", "30.00", "Excellent"],
      [expect.any(String), "7.50", "0", "-7.50", "No active subscription"],
    ]);
    expect(await asReader(sqlOf("Tenants by business health"))).toEqual([
      { Excellent: "1", Good: "0", Monitor: "0", "Critical Action Required": "0" },
    ]);
  });

  it("the trend panel shows the fleet rows of executive_monthly_trend: no data before a close or without the view", async () => {
    const trend = sqlOf("Monthly cost, revenue and margin (all tenants)");
    expect(await asReader(trend)).toEqual([]); // no month closed yet
    await admin(`ALTER VIEW executive_monthly_trend RENAME TO executive_monthly_trend_aside`);
    try {
      expect(await asReader(trend)).toEqual([]); // a database migrated before the view: no data, no error
    } finally {
      await admin(`ALTER VIEW executive_monthly_trend_aside RENAME TO executive_monthly_trend`);
    }
    // Two closed months with one tenant each: the panel reads the fleet's totals, not their sum with the tenants'.
    for (const [month, cost, revenue] of [
      ["2026-09-01", "15.00", "50.00"],
      ["2026-10-01", "12.50", "50.00"],
    ]) {
      const margin = (Number(revenue) - Number(cost)).toFixed(2);
      const { id } = (
        await admin<{ id: string }>(
          `INSERT INTO cost_month_closes (month, closed_by, trigger, reason, tenants, vps_cost, ip_cost, total_cost,
                                          unallocated_vps_cost, unallocated_ip_cost, revenue, margin)
           VALUES ($1, 'test', 'command', 'test', 1, $2, 0, $2, 5.00, 0, $3, $4) RETURNING id::text`,
          [month, cost, revenue, margin],
        )
      ).rows[0]!;
      await admin(
        `INSERT INTO cost_month_close_tenants (close_id, month, tenant_id, vps_cost, ip_cost, total_cost, revenue, margin, health)
         VALUES ($1, $2, gen_random_uuid(), $3::numeric - 5, 0, $3::numeric - 5, $4, $4::numeric - ($3::numeric - 5), 'Excellent')`,
        [id, month, cost, revenue],
      );
    }
    const rows = await asReader(trend);
    expect(
      rows.map((r) => [(r.time as Date).toISOString().slice(0, 7), r["Modelled cost"], r.Revenue, r.Margin]),
    ).toEqual([
      ["2026-09", "15.00", "50.00", "35.00"],
      ["2026-10", "12.50", "50.00", "37.50"],
    ]);
  });
});
