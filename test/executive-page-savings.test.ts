import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { executivePages } from "../src/services/executive/executive-pages.js";
import { executivePageData } from "../src/services/executive/page-data.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";
import { insertSavings } from "./support/savings-rows.js";

/**
 * The executive page's "savings available" (issue #24) read from PostgreSQL: the open monthly saving of
 * the latest refresh, its share of the fleet's modelled cost, and the five largest opportunities with
 * kind, resource, tenant name and monthly saving; an empty state when none is open; nothing before any
 * refresh. Fleet modelled cost: 1000.00 + 10.00 (Acme) + 500.00 (Globex) + 100.00 (unallocated) = 1610.00.
 */
let db: TestDatabase;
let prisma: Db;
const res = new Resources();
let fx: ReturnType<typeof executiveFixtures>;
let acme = "";
let globex = "";

beforeAll(async () => {
  db = await createMigratedDatabase("cs_exec_savings");
  ({ db: prisma } = openDatabase(res, db.url, { poolSize: 2 }));
  fx = executiveFixtures(db.url);
  acme = await fx.tenant("Acme", 29_900);
  globex = await fx.tenant("<b>Globex</b>", 4900);
  await fx.vps("1000.00", acme, ["10.00"]);
  await fx.vps("500.00", globex);
  await fx.vps("100.00", null);
  await fx.refresh();
}, 120_000);
afterAll(async () => {
  await res.close();
  await db.drop();
});

/** The "Savings available" card of the served page, tags stripped, whitespace collapsed. */
const cardText = (html: string): string | undefined => {
  const at = html.indexOf("<h2>Savings available</h2>");
  if (at < 0) return undefined;
  return html
    .slice(at, html.indexOf("</section>", at))
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
};
const served = () => executivePages(prisma).overview("margin");

describe("the executive page's savings available", () => {
  it("is left out while no savings refresh has run: nothing is known, which is not 'nothing to save'", async () => {
    expect((await executivePageData(prisma)).savings).toBeUndefined();
    expect(cardText(await served())).toBeUndefined();
  });

  it("shows the open total, its share of the fleet's modelled cost and the top five with kind, resource, tenant and saving", async () => {
    await insertSavings(db.url, [
      { id: "sv-ip", kind: "idle_ip", ip: "203.0.113.7", tenantId: globex, monthly: "74.85" },
      { id: "sv-vps", kind: "idle_vps", serviceid: "5020", tenantId: acme, monthly: "120.00" },
      { id: "sv-cycle", kind: "billing_cycle", serviceid: "5011", monthly: "62.55" },
      { id: "sv-untracked", kind: "untracked", serviceid: "7001", monthly: "40.00" },
      { id: "sv-gone", kind: "billed_after_decommission", serviceid: "5030", tenantId: acme, monthly: "30.00" },
      { id: "sv-sixth", kind: "idle_ip", ip: "198.51.100.2", monthly: "10.00" },
      { id: "sv-dismissed", kind: "idle_vps", serviceid: "5040", monthly: "500.00", state: "dismissed" },
      { id: "sv-stale", kind: "idle_vps", serviceid: "5050", monthly: "400.00", current: false },
    ]);
    const data = await executivePageData(prisma);
    // 120.00 + 74.85 + 62.55 + 40.00 + 30.00 + 10.00 = 337.40, of 1610.00: 20.9565...% -> 20.96
    expect(data.savings).toEqual({
      totalMonthly: "337.40",
      count: 6,
      shareOfFleet: "20.96",
      top: [
        { kind: "idle_vps", resource: "VPS 5020", tenantId: acme, tenantName: "Acme Inc.", monthly: "120.00" },
        { kind: "idle_ip", resource: "IP 203.0.113.7", tenantId: globex, tenantName: "<b>Globex</b> Inc.", monthly: "74.85" }, // prettier-ignore
        { kind: "billing_cycle", resource: "VPS 5011", tenantId: null, tenantName: null, monthly: "62.55" },
        { kind: "untracked", resource: "Instance 7001", tenantId: null, tenantName: null, monthly: "40.00" },
        { kind: "billed_after_decommission", resource: "VPS 5030", tenantId: acme, tenantName: "Acme Inc.", monthly: "30.00" }, // prettier-ignore
      ],
    });
    const html = await served();
    expect(cardText(html)).toBe(
      "Savings available 337.40 USD / month in 6 open opportunities: 20.96% of the fleet's modelled cost. " +
        "Resource Kind Tenant USD / month " +
        "VPS 5020 Idle VPS Acme Inc. 120.00 " +
        "IP 203.0.113.7 Idle IP &lt;b&gt;Globex&lt;/b&gt; Inc. 74.85 " +
        "VPS 5011 Longer billing cycle no tenant 62.55 " +
        "Instance 7001 Untracked instance no tenant 40.00 " +
        "VPS 5030 Billed after decommission Acme Inc. 30.00 " +
        "1 more: cost-sync report savings lists them all.",
    );
    // The name is text, its uuid in the title: never a UUID as the name.
    expect(html).toContain(`<span class="name" title="${globex}">&lt;b&gt;Globex&lt;/b&gt; Inc.</span>`);
  });

  it("says so when a refresh found nothing open", async () => {
    await fx.q(`UPDATE cost_savings_opportunities SET current = false`);
    await insertSavings(db.url, []);
    expect((await executivePageData(prisma)).savings).toEqual({
      totalMonthly: "0.00",
      count: 0,
      shareOfFleet: "0.00",
      top: [],
    });
    expect(cardText(await served())).toBe("Savings available No open savings opportunity: nothing to cut was found.");
  });
});
