import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { loadExecutivePage } from "../src/db/read-models/executive-page.js";
import { loadTenantPage } from "../src/db/read-models/executive-tenant-page.js";
import { closeMonth } from "../src/db/month-end/month-close.js";
import { openDatabase } from "../src/infrastructure.js";
import { renderExecutivePage } from "../src/reports/executive-page.js";
import { renderTenantPage } from "../src/reports/tenant-page.js";
import { Resources } from "../src/resources.js";
import { executivePageData } from "../src/services/executive/page-data.js";
import { budgetStatuses, forecastForPage } from "../src/services/forecast/page-figures.js";
import { clearBudget, setBudget } from "../src/services/forecast/budgets.js";
import { FLEET, tenantScope } from "../src/services/forecast/scope.js";
import { monthOf } from "../src/months.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

let db: TestDatabase;
let prisma: Db;
let res: Resources;
let fx: ReturnType<typeof executiveFixtures>;
let acme: string;
let globex: string;
let runId: string;

// Each test builds its own world (docs/testing.md): a fresh database with the priced fleet below.
beforeEach(async () => {
  db = await createMigratedDatabase("cs_exec_changes");
  res = new Resources();
  ({ db: prisma } = openDatabase(res, db.url, { poolSize: 2 }));
  // Backdated: the months closed below (2026-09, 2026-10) are frozen as of their end, so the rows must have existed then.
  fx = executiveFixtures(db.url, { since: "2026-01-01T00:00:00Z" });
  acme = await fx.tenant("Acme", 29_900, { payments: ["299.00"] });
  globex = await fx.tenant("Globex", 4900);
  await fx.vps("120.00", acme, ["4.99"]);
  await fx.vps("45.50", globex, ["4.99"]);
  await fx.vps("60.00", null, ["4.99"]);
  runId = await fx.completedRun("24.98", 2);
  await fx.refresh();
});
afterEach(async () => {
  await res.close();
  await db.drop();
});

const close = (month: string) => closeMonth(prisma, { month, closedBy: "test", trigger: "command", reason: "test" });

/** 2026-09 closed, then the fleet costs 10.00 more (a VPS created now) and Globex pays 10.00 more. */
async function closeSeptemberThenChange() {
  const closed = await close("2026-09");
  await fx.vps("10.00", null, [], null); // created now: the fleet costs 10.00 more after the close
  await fx.q(`UPDATE plans SET price_monthly = 5900 WHERE name = 'Plan Globex'`); // Globex pays 10.00 more
  await fx.refresh();
  return closed;
}

describe("the executive page's changes since the last close", () => {
  it("has no base before a month is closed: every card says so, no tenant has a close", async () => {
    const data = await loadExecutivePage(prisma);
    expect(data.lastClose).toBeNull();
    expect(data.tenants.map((t) => t.lastClose)).toEqual([null, null]);
    expect(data.anomalies).toEqual({ open: 0, openSinceClose: null, latest: [] });
    expect(data.invoiceAccuracy).toBeNull();
    const html = renderExecutivePage(data);
    expect(html.match(/no closed month yet/g)?.length).toBe(6); // five cards and the anomalies
    expect(html).toContain(">none imported<");
  });

  it("compares each card with the last closed month, counted as the page counts today (untracked beside the cost)", async () => {
    expect((await closeSeptemberThenChange()).outcome).toBe("closed");
    const data = await loadExecutivePage(prisma);
    // At the close: revenue 348.00, modelled cost 240.47 (24.98 untracked beside it), margin (348 - 240.47) / 348.
    expect(data.lastClose).toMatchObject({
      month: "2026-09",
      revenue: "348.00",
      totalCost: "240.47",
      marginPercent: "30.90",
      tenants: 2,
      untrackedCost: "24.98",
    });
    expect(data.fleet).toMatchObject({ revenue: "358.00", totalCost: "250.47", marginPercent: "30.04" });
    const g = data.tenants.find((t) => t.tenantId === globex);
    expect(g?.lastClose).toEqual({
      revenue: "49.00",
      cost: "50.49",
      marginPercent: "-3.04",
      health: "Critical Action Required",
    });
    const html = renderExecutivePage(data);
    expect(html).toContain(`<div class="k-c good">▲ +10.00 USD since Sep 2026 close</div>`); // revenue
    expect(html).toContain(`<div class="k-c bad">▲ +10.00 USD since Sep 2026 close</div>`); // cost
    expect(html).toContain(`<div class="k-c bad">▼ -0.86 pp since Sep 2026 close</div>`); // margin: 30.04 against 30.90
    expect(html).toContain(`<div class="k-c">0 since Sep 2026 close</div>`); // tenants
    expect(html).toContain(`<div class="k-c">0.00 USD since Sep 2026 close</div>`); // untracked
    // Globex's margin: (59.00 - 50.49) / 59.00 = 14.42%, up 17.46 points from -3.04%.
    expect(html).toContain(`<span class="amt">+17.46 pp</span>`);
  });

  it("counts the anomalies in state open, whatever run found them, those found after the close apart, the latest listed by serviceid", async () => {
    await closeSeptemberThenChange();
    const [vps] = await fx.q<{ id: string }>(
      `UPDATE vps_instances SET hostwinds_instance_id = '5006' WHERE tenant_id = $1 RETURNING id::text`,
      [acme],
    );
    // (run, kind, resource) is unique: one anomaly per resource per run. Open is the state, not the run:
    // an older run's open anomaly counts, the latest run's acknowledged or resolved ones do not.
    const older = await fx.completedRun("24.98", 2);
    await fx.q(`UPDATE cost_reconciliation_runs SET finished_at = now() - interval '2 days' WHERE id = $1`, [older]);
    await fx.q(
      `INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct, detected_at,
                                   state, resolved_by, resolved_at, acknowledged_by, acknowledged_at)
       VALUES ($3, 'vps', $2, 30.00, 60.00, 30.00, 100.00, now() - interval '2 days', 'resolved', 'test', now(), NULL, NULL),
              ($3, 'vps', gen_random_uuid(), 1.00, 9.00, 8.00, 800.00, now() - interval '1 day', 'open', NULL, NULL, NULL, NULL),
              ($3, 'vps', gen_random_uuid(), 2.00, 4.00, 2.00, 100.00, now() - interval '3 days', 'open', NULL, NULL, NULL, NULL),
              ($1, 'vps', gen_random_uuid(), 10.00, 30.00, 20.00, 200.00,
               (SELECT closed_at FROM cost_month_closes) - interval '1 hour', 'open', NULL, NULL, NULL, NULL),
              ($1, 'vps', gen_random_uuid(), 5.00, 50.00, 45.00, 900.00, now(), 'acknowledged', NULL, NULL, 'test', now()),
              ($1, 'vps', $2, 60.00, 120.00, 60.00, 100.00, now(), 'open', NULL, NULL, NULL, NULL)`,
      [runId, vps!.id, older],
    );
    const { anomalies } = await loadExecutivePage(prisma);
    expect(anomalies).toMatchObject({ open: 4, openSinceClose: 1 });
    expect(anomalies?.latest.map((a) => [a.label, a.oldValue, a.newValue, a.change])).toEqual([
      ["5006", "60.00", "120.00", "60.00"],
      [null, "10.00", "30.00", "20.00"],
      [null, "1.00", "9.00", "8.00"],
      [null, "2.00", "4.00", "2.00"],
    ]);
    const html = renderExecutivePage(await loadExecutivePage(prisma));
    expect(html).toContain(">Open anomalies</h2>");
    expect(html).toContain("1 new since the last close");
  });

  it("shows the latest imported month's invoice accuracy and its change since the month before", async () => {
    for (const [month, invoiced, drift] of [
      ["2026-09-01", "100.00", "4.00"],
      ["2026-10-01", "200.00", "3.00"],
    ] as const) {
      await fx.q(
        `INSERT INTO invoice_month_totals (month, total_usd, ip_lines, ip_invoiced_usd, other_lines, other_spend_usd,
                                           unmatched_lines, unmatched_usd)
         VALUES ($1, $2, 0, 0, 0, 0, 0, 0)`,
        [month, invoiced],
      );
      await fx.q(
        `INSERT INTO invoice_vps_months (month, vps_id, invoiced_usd, invoice_lines, modelled_usd, modelled_from)
         VALUES ($1, gen_random_uuid(), $2, 1, $2::numeric - $3::numeric, 'current')`,
        [month, invoiced, drift],
      );
    }
    const { invoiceAccuracy } = await loadExecutivePage(prisma);
    expect(invoiceAccuracy).toEqual({
      month: "2026-10",
      accuracy: "0.9850",
      invoiced: "200.00",
      previous: { month: "2026-09", accuracy: "0.9600" },
    });
    const html = renderExecutivePage(await loadExecutivePage(prisma));
    expect(html).toContain(`<div class="k-v">98.50%</div><div class="k-u">Oct 2026 invoice</div>`);
    expect(html).toContain(`▲ +2.50 pp since Sep 2026</div>`);
  });
});

describe("the executive page's forecast and budgets", () => {
  const who = { changedBy: "test", reason: "page test" };

  it("continues the trend with the fleet's forecast after the last closed month, and carries its note", async () => {
    await closeSeptemberThenChange();
    const data = await executivePageData(prisma);
    const f = await forecastForPage(prisma, { months: 6 });
    const lastClosed = data.trend?.at(-1)?.month;
    expect(lastClosed).toBe("2026-09");
    expect(data.forecast?.map((m) => m.month)).toEqual(f.months.map((m) => m.month).filter((m) => m > lastClosed!));
    expect(data.forecast?.[0]?.month).toBe(monthOf(new Date()));
    expect(data.forecast).toHaveLength(7); // this month and the six after it
    expect(data.forecast?.map((m) => [m.cost, m.low, m.high])).toEqual(f.months.map((m) => [m.p50, m.p10, m.p90]));
    expect(data.forecastNote).toBe(f.note);
    const html = renderExecutivePage(data);
    expect(html).toContain("forecast cost");
    expect(html).toContain("(forecast)");
  });

  it("shows every budget in force with its status, named for people, worst first on the card", async () => {
    expect((await executivePageData(prisma)).budgets).toEqual({ items: [] });
    const month = monthOf(new Date());
    await setBudget(prisma, { scope: FLEET, cents: 10_000n, fromMonth: month, ...who }); // the fleet costs far more
    await setBudget(prisma, { scope: await tenantScope(prisma, acme), cents: 100_000_000n, fromMonth: month, ...who });
    const statuses = await budgetStatuses(prisma);
    const { budgets } = await executivePageData(prisma);
    const byScope = (id: string | null) => statuses.find((s) => s.id === id)!;
    expect(budgets?.items).toHaveLength(2);
    expect(budgets?.items).toContainEqual({
      name: "Fleet",
      tenantId: null,
      budget: "100.00",
      forecast: byScope(null).monthEndForecastP50,
      status: "over",
    });
    expect(budgets?.items).toContainEqual({
      name: expect.stringContaining("Acme") as string,
      tenantId: acme,
      budget: "1000000.00",
      forecast: byScope(acme).monthEndForecastP50,
      status: "ok",
    });
    const html = renderExecutivePage({ ...(await executivePageData(prisma)) });
    expect(html).toContain("<h2>Budgets</h2>");
    expect(html.indexOf(">Fleet<")).toBeLessThan(html.indexOf(">Acme"));
    await clearBudget(prisma, { scope: FLEET, fromMonth: month, ...who });
    expect((await executivePageData(prisma)).budgets?.items.map((b) => b.tenantId)).toEqual([acme]);
  });
});

describe("one tenant's page", () => {
  it("names the tenant by its company, lists its closed months and the shares its cost is made of", async () => {
    await closeSeptemberThenChange();
    const page = await loadTenantPage(prisma, globex);
    expect(page).toMatchObject({ tenantId: globex, name: "Globex Inc." });
    expect(page?.current).toMatchObject({ revenue: "59.00", cost: "50.49", health: "Monitor" });
    expect(page?.months.map((m) => [m.month, m.cost, m.health])).toEqual([
      ["2026-09", "50.49", "Critical Action Required"],
    ]);
    expect(page?.resources.map((r) => [r.kind, r.share]).sort()).toEqual([
      ["ip", "4.99"],
      ["vps", "45.50"],
    ]);
    const html = renderTenantPage(page!);
    expect(html).toContain(`<h1 title="${globex}">Globex Inc.</h1>`);
    expect(html).toContain("was Critical Action Required in Sep 2026");
  });

  it("is null for an id no tenant has; a tenant without a company is named by its own name", async () => {
    expect(await loadTenantPage(prisma, "00000000-0000-4000-8000-000000000000")).toBeNull();
    const [t] = await fx.q<{ id: string }>(`INSERT INTO tenants (name) VALUES ('Initech') RETURNING id::text`);
    const page = await loadTenantPage(prisma, t!.id);
    expect(page).toMatchObject({ name: "Initech", current: null, months: [], resources: [] });
    expect(renderTenantPage(page!)).toContain("No active subscription");
  });
});
