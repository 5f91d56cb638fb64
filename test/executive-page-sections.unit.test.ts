import { describe, expect, it } from "vitest";
import { fractionToPercent, signedDifference } from "../src/reports/decimal.js";
import { humanDateTime, humanMonth } from "../src/reports/dates.js";
import { renderExecutivePage, sortTenants, type ExecutivePageData } from "../src/reports/executive-page.js";
import { renderTenantPage } from "../src/reports/tenant-page.js";
import { sampleData, sampleDataWithExtras, tenant, uuidOf } from "./support/executive-sample.js";
import { sampleTenantPage } from "./support/executive-tenant-sample.js";

const ids = (ts: { tenantId: string }[]) => ts.map((t) => t.tenantId);
const without = (d: ExecutivePageData, ...keys: (keyof ExecutivePageData)[]): ExecutivePageData => {
  const copy = { ...d };
  for (const k of keys) Reflect.deleteProperty(copy, k);
  return copy;
};

describe("exact changes and human dates", () => {
  it("subtracts decimal strings exactly, with a sign, at the larger scale", () => {
    expect(signedDifference("120.50", "100.25")).toBe("+20.25");
    expect(signedDifference("0.1", "0.30")).toBe("-0.20");
    expect(signedDifference("-3.04", "14.42")).toBe("-17.46");
    expect(signedDifference("5.00", "5.00")).toBe("0.00");
    expect(signedDifference("100000000000000000000.01", "0.02")).toBe("+99999999999999999999.99");
    expect(fractionToPercent("0.9871")).toBe("98.71");
    expect(fractionToPercent("1")).toBe("100");
    expect(fractionToPercent("0.95")).toBe("95");
  });

  it("writes dates in UTC and says so, months by name", () => {
    expect(humanDateTime(new Date("2026-01-04T23:05:00-05:00"))).toBe("Mon 5 Jan 2026, 04:05 UTC");
    expect(humanMonth("2026-10")).toBe("Oct 2026");
  });
});

describe("the tenant table", () => {
  const tenants = [
    tenant("b", "Beta", 10000n, 9000n), // 10.00%
    tenant("a", "Alpha", 10000n, 12000n), // -20.00%
    tenant("z", "Zero", 0n, 500n), // no revenue: no margin, worst of all
    tenant("c", "Gamma", 20000n, 24000n), // -20.00%, larger loss than Alpha
    tenant("d", "Delta", 50000n, 1000n), // 98.00%
  ];

  it("lists the worst margin first (no revenue before any margin, then the larger loss), and sorts by each column", () => {
    expect(ids(sortTenants(tenants, "margin"))).toEqual(["z", "c", "a", "b", "d"]);
    expect(ids(sortTenants(tenants, "profit"))).toEqual(["c", "a", "z", "b", "d"]);
    expect(ids(sortTenants(tenants, "cost"))).toEqual(["c", "a", "b", "d", "z"]);
    expect(ids(sortTenants(tenants, "revenue"))).toEqual(["d", "c", "a", "b", "z"]);
    expect(ids(sortTenants(tenants, "name"))).toEqual(["a", "b", "d", "c", "z"]);
    const html = renderExecutivePage({ ...sampleData(), tenants });
    expect(html).toContain(">Tenants, worst margin first</h2>");
    const byCost = renderExecutivePage({ ...sampleData(), tenants }, { sort: "cost", served: true });
    expect(byCost).toContain(">Tenants, most costly first</h2>");
  });

  it("in a file: plain names with the id in a title, no links; served: sorting headers and links to tenant pages", () => {
    const data = sampleDataWithExtras();
    const worst = sortTenants(data.tenants, "margin")[0]!;
    const file = renderExecutivePage(data);
    expect(file).toContain(`<span class="name" title="${worst.tenantId}">${worst.companyName}</span>`);
    expect(file).not.toMatch(/<a /);
    for (const i of [1, 2, 3]) expect(file.replace(/<[^>]*>/g, "")).not.toContain(uuidOf(i)); // never as text
    const served = renderExecutivePage(data, { served: true });
    expect(served).toContain(
      `<a href="executive/tenant/${worst.tenantId}"><span class="name" title="${worst.tenantId}">`,
    );
    for (const sort of ["margin", "profit", "cost", "revenue", "name"])
      expect(served).toContain(`href="?sort=${sort}"`);
    expect(served).toContain(`Margin ▾</a>`);
  });
});

describe("the optional parts", () => {
  const full = sampleDataWithExtras();
  const html = renderExecutivePage(full);

  it("draws invoice accuracy, open anomalies, budgets and savings when given, and leaves them out when not", () => {
    for (const h of [">Open anomalies</h2>", ">Budgets</h2>", ">Savings available</h2>", ">Invoice accuracy</div>"])
      expect(html).toContain(h);
    expect(html).toContain(`<div class="k-v">97.12%</div>`);
    expect(html).toContain(`<div class="k-v">1 over</div>`);
    expect(html).toContain(">VPS 5006<");
    const bare = renderExecutivePage(without(full, "anomalies", "invoiceAccuracy", "budgets", "savings", "forecast"));
    for (const h of ["Open anomalies", "Budgets", "Savings available", "Invoice accuracy", "forecast"])
      expect(bare).not.toContain(h);
  });

  it("continues the trend with the forecast: a dashed line and a shaded band from the last closed month", () => {
    expect(html.match(/stroke-dasharray="6 5"/g)?.length).toBe(3); // once per drawing size
    expect(html.match(/<polygon [^>]*fill-opacity="0.18"/g)?.length).toBe(3);
    expect(html).toContain(">Dec 2026</text>");
    const last = full.forecast?.at(-1);
    expect(html).toContain(`<td data-label="Month">Dec 2026 (forecast)</td>`);
    expect(html).toContain(`(${last?.low ?? "?"}–${last?.high ?? "?"})`);
    expect(renderExecutivePage(without(full, "forecast"))).not.toContain("<polygon");
  });

  it("sums up health in one line, no donut, and counts tenants that fell to Monitor or Critical since the close", () => {
    expect(html).not.toContain("donut");
    expect(html).toMatch(/<strong class="amt">\d+<\/strong> Excellent<\/li>/);
    // Every third tenant was Excellent at the close; those now Monitor or Critical fell.
    const fell = full.tenants.filter(
      (t, i) =>
        i % 3 === 0 && i < full.tenants.length - 2 && ["Monitor", "Critical Action Required"].includes(t.health),
    );
    expect(html).toContain(`>${fell.length} fell to Monitor or Critical since the Oct 2026 close</p>`);
  });

  it("refuses a budget status it does not know and a count that is not one", () => {
    const bad = { ...full, budgets: { items: [{ ...full.budgets!.items[0]!, status: "fine" as "ok" }] } };
    expect(() => renderExecutivePage(bad)).toThrow(/budgets.items\[0\].status/);
    expect(() => renderExecutivePage({ ...full, anomalies: { ...full.anomalies!, open: -1 } })).toThrow(
      /anomalies.open/,
    );
  });
});

describe("savings available", () => {
  const full = sampleDataWithExtras();
  it("lists kind, resource, tenant name (uuid in the title) and saving, the total and its share; says so when none is open", () => {
    const html = renderExecutivePage(full);
    expect(html).toContain(`<span class="amt">312.40</span> USD / month in 4 open opportunities: <strong class="amt">3.61%</strong>`); // prettier-ignore
    expect(html).toContain(
      `<td data-label="Resource">VPS 5020</td><td data-label="Kind">Idle VPS</td>` +
        `<td data-label="Tenant"><span class="name" title="${uuidOf(2)}">Beacon &lt;Mail&gt;</span></td>`,
    );
    expect(html).toContain(`<td data-label="Tenant"><span class="na">no tenant</span></td>`);
    expect(html).toContain("1 more: cost-sync report savings lists them all.");
    const none = renderExecutivePage({ ...full, savings: { totalMonthly: "0.00", count: 0, shareOfFleet: "0.00", top: [] } }); // prettier-ignore
    expect(none).toContain("No open savings opportunity: nothing to cut was found.");
    expect(() => renderExecutivePage({ ...full, savings: { ...full.savings!, shareOfFleet: "3,6" } })).toThrow(/savings.shareOfFleet/); // prettier-ignore
  });
});

describe("a tenant's page", () => {
  const html = renderTenantPage(sampleTenantPage());
  it("shows the name with its id in a title, a way back, the change since its last close and its shares", () => {
    expect(html).toContain(`<h1 title="5f0c6a52-8d1e-4c1a-9a51-3c1f0e7b2d44">Harbor Health Group</h1>`);
    expect(html).toContain(`<a href="../../executive">← All tenants</a>`);
    expect(html).toContain(`▲ +14.22 USD since Oct 2026 close`); // cost 614.22 against 600.00
    expect(html).toContain("was Good in Oct 2026");
    expect(html).toContain(`<td data-label="Split">1 of 2 tenants</td>`);
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe("the fleet section: one meaning of modelled cost", () => {
  it("draws both bars to the modelled cost and shows untracked spend beside them, labelled, never in a bar", () => {
    const d = sampleData();
    const f = d.fleet;
    const html = renderExecutivePage(d);
    const section = html.slice(
      html.indexOf(">Fleet cost and margin<"),
      html.indexOf("</section>", html.indexOf(">Fleet cost and margin<")),
    );
    // Attributed + unallocated = VPS + IP = the headline's modelled cost, to the cent.
    const cents = (v: string) => BigInt(v.replace(".", ""));
    expect(cents(f.attributedCost) + cents(f.unallocatedCost)).toBe(cents(f.totalCost));
    expect(cents(f.vpsCost) + cents(f.ipCost)).toBe(cents(f.totalCost));
    expect(html).toContain(
      `<div class="k-l">Modelled cost</div><div class="k-v"><span class="amt">${f.totalCost}</span>`,
    );
    expect(section).toContain(`modelled cost <span class="amt">${f.totalCost}</span> USD (attributed + unallocated)`);
    // The bars' slices: attributed, unallocated; VPS, IPs. Untracked is no slice, but a labelled line beside.
    expect(section).not.toMatch(/<title>Untracked[^<]*<\/title>/);
    expect(section).toContain(
      `Beside it, not in it: untracked at Hostwinds <span class="amt">${f.untrackedCost ?? "?"}</span> USD / month`,
    );
    expect(html).toContain("USD / month, not in modelled cost");
  });

  it("says untracked spend is not known yet while no reconciliation has checked", () => {
    const d = sampleData();
    const html = renderExecutivePage({ ...d, fleet: { ...d.fleet, untrackedCost: null } });
    expect(html).toContain(`Beside it, not in it: untracked at Hostwinds <span class="na">not known yet</span>`);
  });
});
