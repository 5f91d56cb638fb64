import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { loadExecutivePage, loadExecutiveTrend } from "../src/db/read-models/executive-page.js";
import { closeMonth } from "../src/db/month-end/month-close.js";
import { openDatabase } from "../src/infrastructure.js";
import { renderExecutivePage } from "../src/reports/executive-page.js";
import { Resources } from "../src/resources.js";
import { runInProcess } from "./support/cli-streams.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

let db: TestDatabase;
let prisma: Db;
const res = new Resources();
let fx: ReturnType<typeof executiveFixtures>;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), "exec-html-"));

beforeAll(async () => {
  db = await createMigratedDatabase("cs_exec_page");
  ({ db: prisma } = openDatabase(res, db.url, { poolSize: 2 }));
  // Backdated: the months closed below (2026-09, 2026-10) are frozen as of their end, so the rows must have existed then.
  fx = executiveFixtures(db.url, { since: "2026-01-01T00:00:00Z" });
  env = { DATABASE_URL: db.url };
  const a = await fx.tenant("<b>Acme</b>", 29_900, { payments: ["299.00"] });
  const g = await fx.tenant("Globex", 4900);
  await fx.vps("120.00", a, ["4.99"]);
  await fx.vps("45.50", g, ["4.99"]);
  await fx.vps("60.00", null, ["4.99"]); // unallocated
  await fx.refresh();
});
afterAll(async () => {
  await res.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

// The tests below build on each other's world: a reconciliation that found untracked spend, then two
// closed months. Each step is made once, by the first test that needs it, so any test runs alone.
let untracked: Promise<unknown> | undefined;
const untrackedRun = () => (untracked ??= fx.completedRun("24.98", 2));
let closes: Promise<string[]> | undefined;
const closedMonths = () =>
  (closes ??= (async () => {
    await untrackedRun();
    const close = async (month: string) =>
      (await closeMonth(prisma, { month, closedBy: "test", trigger: "command", reason: "test" })).outcome;
    const september = await close("2026-09");
    await fx.vps("10.00", null, [], "2026-10-15T00:00:00Z"); // unallocated, from mid-October: the fleet costs 10.00 more in October (and in the tests below)
    await fx.refresh();
    return [september, await close("2026-10")];
  })());

describe("the executive page's loader", () => {
  it("reads the fleet, the tenants and the freshness; untracked is not known and the trend absent before a reconciliation checked and a month closed", async () => {
    const data = await loadExecutivePage(prisma);
    expect(data.fleet).toEqual({
      revenue: "348.00",
      attributedCost: "175.48",
      unallocatedCost: "64.99",
      untrackedCost: null,
      totalCost: "240.47",
      vpsCost: "225.50",
      ipCost: "14.97",
      marginPercent: "30.90",
    });
    expect(data.tenants.map((t) => [t.companyName, t.cost, t.profit, t.health])).toEqual([
      ["<b>Acme</b> Inc.", "124.99", "174.01", "Excellent"],
      ["Globex Inc.", "50.49", "-1.49", "Critical Action Required"],
    ]);
    expect(data.freshness.attributionRefreshedAt).toBeInstanceOf(Date);
    expect(data.freshness.lastReconciliationAt).toBeNull();
    expect(data.generatedAt).toBeInstanceOf(Date);
    expect(data.trend).toBeUndefined();
    expect(await loadExecutiveTrend(prisma)).toBeNull();
  });

  it("adds untracked spend from the latest reconciliation that checked beside the modelled cost, never in it", async () => {
    await untrackedRun();
    const { fleet } = await loadExecutivePage(prisma);
    // Modelled cost = attributed 175.48 + unallocated 64.99 = VPS 225.50 + IP 14.97; the margin is against it.
    expect(fleet).toMatchObject({ untrackedCost: "24.98", totalCost: "240.47", attributedCost: "175.48" });
    expect(fleet).toMatchObject({ vpsCost: "225.50", ipCost: "14.97", marginPercent: "30.90" });
  });

  it("draws the trend from the closed months, the fleet's rows oldest first", async () => {
    expect(await closedMonths()).toEqual(["closed", "closed"]);
    const data = await loadExecutivePage(prisma);
    // Revenue 348.00; cost 240.47 then 250.47 (untracked spend is frozen beside the cost, not in it).
    expect(data.trend).toEqual([
      { month: "2026-09", revenue: "348.00", cost: "240.47", marginPercent: "30.90" },
      { month: "2026-10", revenue: "348.00", cost: "250.47", marginPercent: "28.03" },
    ]);
    expect(renderExecutivePage(data)).toContain(">Sep 2026<");
  });
});

describe("report executive|allocation", () => {
  it("lists the tenants, then unsubscribed, unallocated, untracked and fleet rows that add up to the fleet", async () => {
    await closedMonths();
    const r = await runInProcess(["report", "executive", "--json"], { env });
    expect(r.code).toBe(0);
    // An object with named arrays: the tenants, then the fleet's own rows.
    const json = JSON.parse(r.stdout) as Record<"tenants" | "fleet", Record<string, string | null>[]>;
    const rows = [...json.tenants, ...json.fleet];
    expect(rows.map((x) => x.rowKind)).toEqual([
      "tenant",
      "tenant",
      "unsubscribed",
      "unallocated",
      "untracked",
      "fleet",
    ]);
    const cents = (v: string | null | undefined) => Math.round(Number(v ?? "0") * 100);
    const parts = rows.slice(0, -1).reduce((s, x) => s + cents(x.totalOperationalCost), 0);
    expect(parts).toBe(cents(rows.at(-1)!.totalOperationalCost));
    // The fleet row is the modelled cost (250.47: 240.47 + the 10.00 VPS from mid-October); untracked spend beside it.
    expect(rows.at(-1)).toMatchObject({ tenantId: null, totalOperationalCost: "250.47", monthlyMargin: "97.53" });
    expect(rows.at(-1)).toMatchObject({ untrackedCost: "24.98", grossMarginPercent: "28.03" });
    expect(rows.at(-2)).toMatchObject({ rowKind: "untracked", untrackedCost: "24.98", totalOperationalCost: null });
    const csv = await runInProcess(["report", "allocation", "--csv"], { env });
    expect(csv.stdout.split("\n")[0]).toBe(
      "row_kind,tenant_id,company_name,plan_name,total_infrastructure_cost,total_email_service_cost,untracked_cost,total_monthly_cost,payments_received,payment_margin,monthly_margin,emails_sent_30d,cost_per_email_delivered,business_efficiency_ratio",
    );
  });

  it("--html FILE writes the self-contained page; a missing directory, a directory or another report is a usage error", async () => {
    await closedMonths();
    const file = join(dir, "executive.html");
    const ok = await runInProcess(["report", "executive", "--html", file], { env });
    expect(ok).toMatchObject({ code: 0, stderr: "" });
    expect(ok.stdout).toMatch(/^wrote .*executive\.html \(\d+ bytes; 2 tenant\(s\), 2 closed month\(s\)\)/);
    const html = readFileSync(file, "utf8");
    expect(html).toContain("&lt;b&gt;Acme&lt;/b&gt; Inc.");
    expect(html).toContain(">250.47<"); // the modelled cost
    expect(html).toContain('Beside it, not in it: untracked at Hostwinds <span class="amt">24.98</span> USD / month');
    expect(html).not.toMatch(/<script|<link|src=/i);

    const missing = join(dir, "nope", "x.html");
    const refused = await runInProcess(["report", "executive", "--html", missing], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot write .*x\.html: its directory does not exist/);
    expect(existsSync(missing)).toBe(false);
    expect((await runInProcess(["report", "executive", "--html", dir], { env })).stderr).toMatch(/it is a directory/);
    const blocked = await runInProcess(["report", "executive", "--html", join(file, "x.html")], { env });
    expect(blocked.stderr).toMatch(/is not a directory/);
    expect((await runInProcess(["report", "allocation", "--html", file], { env })).code).toBe(2);
    expect((await runInProcess(["report", "executive", "--csv", "--html", file], { env })).stderr).toMatch(
      /choose one of/,
    );
  });
});
