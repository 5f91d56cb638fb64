import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { csvField, HEADER } from "./support/invoice-csv.js";
import { insertSavings } from "./support/savings-rows.js";
import { createMigratedDatabase, queryRows, type TestDatabase } from "./support/pg.js";

/**
 * `report digest` against PostgreSQL (docs/observability.md, "The digest"). One unallocated VPS
 * (serviceid 30) cost 10.00 from October and 25.00 from two days ago: the fleet's modelled cost went
 * 10.00 -> 25.00 in the last week, so the margin fell by 15.00. A fleet budget of 20.00 is over
 * (25.00 now). November was invoiced 9.99 against 10.00 modelled: accuracy 1 - 0.01/9.99 = 0.9990.
 * Two anomalies inside the week (one open, one acknowledged), one a month old (outside).
 */
let db: TestDatabase;
let env: Record<string, string>;
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(db.url, text, params);
const idOf = async (rows: Promise<{ id: string }[]>): Promise<string> => {
  const [row] = await rows;
  if (!row) throw new Error("no row returned");
  return row.id;
};
const cli = (...args: string[]) => runInProcess(args, { env });
let vpsId = "";
const anomaly = { open: "", acked: "", old: "" };

beforeAll(async () => {
  db = await createMigratedDatabase("cs_digest");
  env = { DATABASE_URL: db.url, COST_SYNC_OPERATOR: "digest-tester" };
  vpsId = await idOf(
    sql<{ id: string }>(
      `INSERT INTO vps_instances (hostwinds_instance_id, status, monthly_cost) VALUES ('30', 'active', NULL) RETURNING id::text`,
    ),
  );
  await sql(
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     VALUES ('vps', $1, NULL, 10.00, 'test', 'digest', 'd-1', '2026-10-15T00:00:00Z'),
            ('vps', $1, 10.00, 25.00, 'test', 'digest', 'd-2', $2)`,
    [vpsId, ago(2)],
  );
  await sql(`UPDATE vps_instances SET approximate_cost = 25.00 WHERE id = $1`, [vpsId]);
  const ins = `INSERT INTO cost_anomalies (resource_kind, resource_id, old_value, new_value, change_usd, change_pct, detected_at,
                 state, acknowledged_by, acknowledged_at, note)
               VALUES ('vps', $1, 10.00, 25.00, 15.00, 150.00, $2, $3, $4, $5, $6) RETURNING id::text`;
  anomaly.open = await idOf(sql(ins, [vpsId, ago(2), "open", null, null, null]));
  anomaly.acked = await idOf(sql(ins, [vpsId, ago(1), "acknowledged", "cfo", ago(0.5), "expected"]));
  anomaly.old = await idOf(sql(ins, [vpsId, ago(30), "open", null, null, null]));
  await sql(
    `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, started_at, finished_at, untracked_instances,
       untracked_unpriced, untracked_monthly_cost, ghost_rows)
     VALUES ('r-1', 'manual', 'completed', $1, $1, 2, 0, 39.98, 1)`,
    [ago(1)],
  );
  expect((await cli("budget", "set", "fleet", "20.00", "--reason", "digest test")).code).toBe(0);
  const dir = mkdtempSync(join(tmpdir(), "digest-"));
  const csv = join(dir, "nov.csv");
  const line = ["1001", "11/01/2026", "30", "", "", "Cloud VPS (11/01/2026 - 11/30/2026)", "9.99", "USD", "", ""];
  writeFileSync(csv, [HEADER, line.map(csvField).join(",")].join("\r\n"));
  const imported = await cli("invoices", "import", csv);
  expect([imported.code, imported.stderr]).toEqual([0, ""]);
});
afterAll(async () => {
  await db.drop();
});

interface DigestJson {
  periodFrom: string;
  cost: Record<string, string | null>;
  anomalies: { id: string; state: string; change: string }[];
  budgetsAtRisk: { scope: string; status: string; amount: string; actual: string }[];
  savings: { available: boolean; top: unknown[] } & Record<string, unknown>;
  untracked: { instances: number; monthlyUsd: string; ghostRows: number } | null;
  invoiceAccuracy: { month: string; accuracy: string; invoiced: string } | null;
}

describe("report digest", () => {
  it("--json: each section's figures over the last 7 days", async () => {
    const r = await cli("report", "digest", "--since", "7d", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as DigestJson;
    expect(d.periodFrom).toBe("since");
    // no subscription revenue in this world: the margin is minus the cost
    expect(d.cost).toEqual({
      costThen: "10.00",
      costNow: "25.00",
      costChange: "15.00",
      revenue: "0.00",
      marginThen: "-10.00",
      marginNow: "-25.00",
      marginChange: "-15.00",
    });
    expect(d.anomalies.map((a) => [a.id, a.state, a.change])).toEqual([
      [anomaly.acked, "acknowledged", "15.00"],
      [anomaly.open, "open", "15.00"],
    ]);
    expect(d.budgetsAtRisk).toMatchObject([{ scope: "fleet", status: "over", amount: "20.00", actual: "25.00" }]);
    // The invoice import refreshed the savings, and found nothing open in this world.
    expect(d.savings).toMatchObject({ available: true, monthlySaving: "0.00", count: 0, top: [] });
    expect(d.untracked).toMatchObject({ instances: 2, monthlyUsd: "39.98", ghostRows: 1 });
    expect(d.invoiceAccuracy).toEqual({ month: "2026-11", accuracy: "0.9990", invoiced: "9.99" });
  });

  it("--since 36h takes only the last day and a half: no cost change, one anomaly", async () => {
    const d = JSON.parse((await cli("report", "digest", "--since", "36h", "--json")).stdout) as DigestJson;
    expect(d.cost).toMatchObject({ costThen: "25.00", costNow: "25.00", costChange: "0.00" });
    expect(d.anomalies.map((a) => a.id)).toEqual([anomaly.acked]);
  });

  it("without --since: since the last digest taken, else a week; Markdown by default, --html FILE", async () => {
    const md = await cli("report", "digest");
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("*Cost and margin*\n• Fleet modelled cost: 25.00 USD/month (+15.00 since 10.00)");
    expect(md.stdout).toContain("*New anomalies (2)*");
    expect(md.stdout).toContain("• fleet: over; budget 20.00, now 25.00");
    expect(md.stdout).toMatch(/\*Top savings\*\n• none open \(refreshed \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\n/);
    expect(md.stdout).toContain("• 39.98 USD/month on 2 instance(s); 1 ghost row(s)");
    expect(md.stdout).toContain("• 2026-11: accuracy 0.9990 (invoiced 9.99 USD)");
    await sql(
      `INSERT INTO cost_digests (taken_at, period_start, trigger, fleet_cost) VALUES ($1, $2, 'schedule', 25.00)`,
      [ago(1.5), ago(8.5)],
    );
    const d = JSON.parse((await cli("report", "digest", "--json")).stdout) as DigestJson;
    expect(d.periodFrom).toBe("last-digest");
    expect(d.anomalies.map((a) => a.id)).toEqual([anomaly.acked]);
    const file = join(mkdtempSync(join(tmpdir(), "digest-html-")), "d.html");
    const html = await cli("report", "digest", "--html", file);
    expect(html.code).toBe(0);
    const page = readFileSync(file, "utf8");
    expect(page).toContain("<h2>Top savings</h2>\n<ul><li>none open (refreshed ");
    expect(page).not.toMatch(/<script/i);
  });

  it("a bad --since, or two formats, exits 2 with the reason on stderr and prints nothing", async () => {
    for (const args of [
      ["--since", "7"],
      ["--since", "0d"],
      ["--since", "2y"],
      ["--since", "9999w"],
      ["--json", "--markdown"],
    ]) {
      const r = await cli("report", "digest", ...args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: "" });
      expect(r.stderr).toMatch(/--since takes a period like 36h, 7d or 2w|choose one of --markdown, --html and --json/);
    }
    const other = await cli("report", "executive", "--since", "7d");
    expect([other.code, other.stderr]).toEqual([2, expect.stringContaining("--since and --markdown are for report digest")]); // prettier-ignore
  });

  it("top savings: the open total and the largest opportunities, new ones marked (markdown, HTML, JSON)", async () => {
    const [t] = await sql<{ id: string }>(`INSERT INTO tenants (name) VALUES ('Acme <Mail>') RETURNING id::text`);
    await insertSavings(db.url, [
      { id: "sv-old", kind: "idle_ip", ip: "203.0.113.7", monthly: "4.99", firstSeen: ago(30) },
      { id: "sv-new", kind: "idle_vps", serviceid: "30", tenantId: t!.id, monthly: "20.00" },
      { id: "sv-dismissed", kind: "untracked", serviceid: "31", monthly: "50.00", state: "dismissed" },
    ]);
    const d = JSON.parse((await cli("report", "digest", "--since", "7d", "--json")).stdout) as DigestJson;
    // No share: the attribution (the fleet's modelled cost for savings) was never refreshed in this world.
    expect(d.savings).toMatchObject({ available: true, monthlySaving: "24.99", count: 2, fleetMonthlyCost: "0.00", shareOfFleet: null }); // prettier-ignore
    expect(d.savings.top).toEqual([
      { id: "sv-new", kind: "idle_vps", resource: "VPS 30", tenantId: t!.id, tenantName: "Acme <Mail>", monthlySaving: "20.00", isNew: true }, // prettier-ignore
      { id: "sv-old", kind: "idle_ip", resource: "IP 203.0.113.7", tenantId: null, tenantName: null, monthlySaving: "4.99", isNew: false }, // prettier-ignore
    ]);
    const md = (await cli("report", "digest", "--since", "7d")).stdout;
    expect(md).toMatch(/\*Top savings\*\n• 24\.99 USD\/month in 2 open opportunities; refreshed \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/); // prettier-ignore
    expect(md).toContain("• 20.00 USD/month: idle_vps VPS 30 (Acme <Mail>) [new] - sv-new\n• 4.99 USD/month: idle_ip IP 203.0.113.7 - sv-old\n"); // prettier-ignore
    const file = join(mkdtempSync(join(tmpdir(), "digest-html-")), "d.html");
    expect((await cli("report", "digest", "--since", "7d", "--html", file)).code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("<li>20.00 USD/month: idle_vps VPS 30 (Acme &lt;Mail&gt;) [new] - sv-new</li>"); // prettier-ignore
  });
});
