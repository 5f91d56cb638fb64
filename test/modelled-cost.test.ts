import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { dashboard, panelSql, runAsGrafana } from "./support/grafana.js";
import { adminQuery, createMigratedDatabase, type TestDatabase } from "./support/pg.js";

/**
 * One meaning per figure (issue 21): "modelled cost" is attributed plus unallocated, what a close
 * freezes; untracked spend stands beside it, labelled, never in it. This reads the five places that
 * show it on one seeded fleet, with October closed while its costs are today's, and finds them equal
 * to the cent: the executive page (as `report executive --html` writes it), Grafana's executive
 * dashboard (its panels' SQL, run as an executive), `report executive`, `report trend` and `close-month`.
 */

let db: TestDatabase;
let env: Record<string, string>;
const reader = `cs_grafana_${randomBytes(4).toString("hex")}`;
const dir = mkdtempSync(join(tmpdir(), "modelled-cost-"));
const MONTH = "2026-10";
// 120.00 + 45.50 + 60.00 VPS (the last one nobody's) + 3 × 4.99 IPs; 24.98 untracked beside it.
const MODELLED = "240.47";
const UNTRACKED = "24.98";
const WITH_UNTRACKED = "265.45"; // the figure no reader may show as the cost any more

beforeAll(async () => {
  db = await createMigratedDatabase("cs_modelled");
  env = { DATABASE_URL: db.url, COST_SYNC_OPERATOR: "finance-test" };
  // Backdated: October is closed as of its end, so the rows must have existed then.
  const fx = executiveFixtures(db.url, { since: "2026-01-01T00:00:00Z" });
  const acme = await fx.tenant("Acme", 29_900, { payments: ["299.00"] });
  const globex = await fx.tenant("Globex", 4900);
  await fx.vps("120.00", acme, ["4.99"]);
  await fx.vps("45.50", globex, ["4.99"]);
  await fx.vps("60.00", null, ["4.99"]); // unallocated
  await fx.completedRun(UNTRACKED, 2);
  await fx.refresh();
  await fx.q(`CREATE ROLE ${reader} NOLOGIN IN ROLE executives`);
});
afterAll(async () => {
  await db.drop();
  await adminQuery(`DROP ROLE IF EXISTS ${reader}`);
  rmSync(dir, { recursive: true, force: true });
});

const cli = async (...args: string[]) => {
  const r = await runInProcess(args, { env });
  expect(r, args.join(" ")).toMatchObject({ code: 0, stderr: "" });
  return r.stdout;
};
const cents = (v: unknown) => BigInt(String(v).replace(",", "").replace(".", ""));
type Row = Record<string, string | null>;

/** The executive page as `report executive --html` writes it: the headline card, both bars' legends, the untracked line. */
async function page() {
  const file = join(dir, "executive.html");
  await cli("report", "executive", "--html", file);
  const html = readFileSync(file, "utf8");
  const amountOf = (re: RegExp) => re.exec(html)?.[1] ?? null;
  const legend = (label: string) =>
    amountOf(new RegExp(`<span class="lg-l">${label}</span> <span class="lg-d"><span class="amt">([\\d.,]+)</span>`));
  return {
    html,
    headline: amountOf(/<div class="k-l">Modelled cost<\/div><div class="k-v"><span class="amt">([\d.,]+)<\/span>/),
    subline: amountOf(/modelled cost <span class="amt">([\d.,]+)<\/span> USD \(attributed \+ unallocated\)/),
    vps: legend("VPS"),
    ip: legend("SMTP IPs"),
    attributed: legend("Attributed to tenants"),
    unallocated: legend("Unallocated"),
    untracked: amountOf(/Beside it, not in it: untracked at Hostwinds <span class="amt">([\d.,]+)<\/span>/),
    untrackedCard: amountOf(/<div class="k-l">Untracked spend<\/div><div class="k-v"><span class="amt">([\d.,]+)/),
  };
}

describe("modelled cost: one meaning on the page, in Grafana, report executive, report trend and close-month", () => {
  it("closes October as of its end with today's costs: modelled cost in cost, untracked spend beside it", async () => {
    const closed = JSON.parse(await cli("close-month", MONTH, "--json")) as { outcome: string; close: Row };
    expect(closed.outcome).toBe("closed");
    expect(closed.close).toMatchObject({ totalCost: MODELLED, untrackedMonthlyCost: UNTRACKED });
    // The text output says the same, and that untracked spend is not in the cost.
    const again = await cli("close-month", MONTH);
    expect(again).toContain(`  cost       ${MODELLED} USD (VPS 225.50, IP 14.97; unallocated 64.99)\n`);
    expect(again).toContain(`  untracked  ${UNTRACKED} USD/month (2 instance(s), not in cost)\n`);
  });

  it("finds the same modelled cost, to the cent, in all five, and untracked spend beside it in each", async () => {
    // 1. close-month: the close in force.
    const close = (JSON.parse(await cli("close-month", MONTH, "--json")) as { close: Row }).close;
    // 2. report trend: October's row.
    const trend = (JSON.parse(await cli("report", "trend", "--json")) as { months: Row[] }).months;
    expect(trend.map((m) => m.month)).toEqual([MONTH]);
    const october = trend[0]!;
    // 3. report executive, as JSON and as CSV: the fleet row.
    const json = JSON.parse(await cli("report", "executive", "--json")) as { fleet: Row[] };
    const fleet = json.fleet.find((r) => r.rowKind === "fleet")!;
    const csv = (await cli("report", "executive", "--csv")).trim().split("\n");
    const header = csv[0]!.split(",");
    const csvFleet = csv.map((l) => l.split(",")).find((cells) => cells[0] === "fleet")!;
    const csvCell = (name: string) => csvFleet[header.indexOf(name)];
    const table = await cli("report", "executive");
    // 4. the executive page.
    const p = await page();
    // 5. Grafana's executive dashboard: the panels' own SQL, run as an executive.
    const exec = dashboard("executive");
    const grafana = async (title: string) => runAsGrafana(db.url, reader, panelSql(exec, title));
    const [stat] = await grafana("Modelled monthly cost");
    const totals = await grafana("Fleet totals");
    const grafanaTrend = await grafana("Monthly cost, revenue and margin (all tenants)");
    const [untrackedStat] = await grafana("Untracked spend (not in modelled cost)");

    const modelled = {
      "close-month": close.totalCost,
      "report trend": october.cost,
      "report executive --json": fleet.totalOperationalCost,
      "report executive --csv": csvCell("total_operational_cost"),
      "page: headline": p.headline,
      "page: fleet line": p.subline,
      "page: VPS + IP bar": (cents(p.vps) + cents(p.ip)).toString(),
      "page: attribution bar": (cents(p.attributed) + cents(p.unallocated)).toString(),
      "Grafana: Modelled monthly cost": stat?.["Modelled monthly cost"],
      "Grafana: Fleet totals": totals.find((r) => r.Share === "Fleet")?.Total,
      "Grafana: trend": grafanaTrend.at(-1)?.["Modelled cost"],
    };
    const expected = Object.fromEntries(Object.keys(modelled).map((k) => [k, cents(MODELLED)]));
    expect(Object.fromEntries(Object.entries(modelled).map(([k, v]) => [k, cents(v)]))).toEqual(expected);
    expect(p.vps).toBe("225.50");
    expect(p.ip).toBe("14.97");
    // The text table's fleet row: revenue, cost, untracked beside it, margin, margin %.
    expect(table).toMatch(/\(fleet\)\s+348\.00\s+240\.47\s+24\.98\s+107\.53\s+30\.90\b/);

    const untracked = {
      "close-month": close.untrackedMonthlyCost,
      "report trend": october.untrackedMonthlyCost,
      "report executive --json": fleet.untrackedCost,
      "report executive --csv": csvCell("untracked_cost"),
      "page: beside the bars": p.untracked,
      "page: card": p.untrackedCard,
      "Grafana: Untracked spend": untrackedStat?.["Untracked spend"],
    };
    expect(untracked).toEqual(Object.fromEntries(Object.keys(untracked).map((k) => [k, UNTRACKED])));
    // Never the two added up, anywhere.
    for (const text of [p.html, table, JSON.stringify(json), csv.join("\n"), JSON.stringify(trend)])
      expect(text).not.toContain(WITH_UNTRACKED);
  });

  it("takes the margin against the modelled cost alone, the same in the page, report executive, report trend and close-month", async () => {
    // Revenue 348.00 (299.00 + 49.00): (348.00 - 240.47) / 348.00 = 30.90 %; margin 107.53.
    const close = (JSON.parse(await cli("close-month", MONTH, "--json")) as { close: Row }).close;
    const [october] = (JSON.parse(await cli("report", "trend", "--json")) as { months: Row[] }).months;
    const fleet = (JSON.parse(await cli("report", "executive", "--json")) as { fleet: Row[] }).fleet.at(-1)!;
    const { html } = await page();
    expect([close.margin, october!.margin, fleet.monthlyMargin]).toEqual(["107.53", "107.53", "107.53"]);
    expect([close.marginPercent, october!.marginPercent, fleet.grossMarginPercent]).toEqual([
      "30.90",
      "30.90",
      "30.90",
    ]);
    expect(html).toContain(`<div class="k-l">Gross margin</div><div class="k-v"><span class="amt">30.90%</span>`);
    const totals = await runAsGrafana(db.url, reader, panelSql(dashboard("executive"), "Fleet totals"));
    expect(totals.find((r) => r.Share === "Fleet")).toMatchObject({ Revenue: "348.00", Margin: "107.53" });
  });
});
