import { describe, expect, it } from "vitest";
import {
  renderExecutivePage,
  sortTenants,
  topTenantsByCost,
  type ExecutivePageData,
  type ExecutiveTenant,
} from "../src/reports/executive-page.js";
import { formatAge } from "../src/reports/format.js";
import { esc, sanitizeText, truncate } from "../src/reports/html-escape.js";
import { HOSTILE_NAME, sampleData, tenant } from "./support/executive-sample.js";

/** Minimal valid data: no tenants, no revenue, nothing refreshed yet. */
function emptyData(): ExecutivePageData {
  return {
    generatedAt: new Date("2026-11-03T09:30:00Z"),
    freshness: { attributionRefreshedAt: null, lastReconciliationAt: null },
    fleet: {
      revenue: "0.00",
      attributedCost: "0.00",
      unallocatedCost: "0.00",
      untrackedCost: null,
      totalCost: "0.00",
      vpsCost: "0.00",
      ipCost: "0.00",
      marginPercent: null,
    },
    tenants: [],
  };
}

const withTenants = (tenants: ExecutiveTenant[]): ExecutivePageData => ({ ...emptyData(), tenants });
/** Company names in the order the top-tenants table lists them. */
const tableNames = (html: string): string[] => {
  const table = /<table class="stack tenants">.*?<\/table>/.exec(html)?.[0] ?? "";
  return [...table.matchAll(/<span class="name" title="[^"]*">(.*?)<\/span>/g)].map((m) => m[1] ?? "");
};
/** Company names in the order the top-by-cost bars list them. */
const barNames = (html: string): string[] =>
  [...html.matchAll(/<li><span class="bar-l"><span class="name" title="[^"]*">(.*?)<\/span>/g)].map((m) => m[1] ?? "");
/** Every start tag of the document (escaped text never holds a raw "<", so these are all real elements). */
const tags = (html: string): string[] => html.match(/<[a-zA-Z][^>]*>/g) ?? [];

describe("renderExecutivePage: content", () => {
  const data = sampleData();
  const html = renderExecutivePage(data);

  it("shows every section, the not-billing line and at least 4 charts", () => {
    for (const h of [
      "Hostwinds infrastructure cost",
      "Fleet cost and margin",
      "Tenant health",
      "Top 10 tenants by modelled cost",
      "Monthly trend (closed months)",
    ]) {
      expect(html).toContain(`>${h}</h`);
    }
    expect(html).toContain("Internal cost modelling — not billing; never shown to tenants");
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toMatch(/^<!doctype html>/);
  });

  it("prints every amount exactly as given", () => {
    const f = data.fleet;
    for (const v of [f.revenue, f.attributedCost, f.unallocatedCost, f.untrackedCost, f.totalCost, f.vpsCost, f.ipCost])
      expect(html).toContain(`>${v ?? "?"}<`);
    expect(html).toContain(`>${f.marginPercent ?? "?"}%<`);
    for (const t of sortTenants(data.tenants, "margin").slice(0, 10))
      for (const v of [t.revenue, t.cost, t.profit]) expect(html).toContain(`>${v}<`);
    for (const t of topTenantsByCost(data.tenants, 10))
      expect(html).toContain(`<span class="bar-v">${t.cost} USD</span>`);
    expect(html).toContain(
      `<td data-label="Month">Oct 2026</td><td class="num" data-label="Revenue (USD)"><span class="amt">${data.trend?.at(-1)?.revenue ?? "?"}</span></td>`,
    );
  });

  it("shows freshness as human dates in UTC, saying so, with their age, and 'never' when there is none", () => {
    expect(html).toContain(
      '<time datetime="2026-11-03T04:12:00.000Z">Tue 3 Nov 2026, 04:12 UTC</time> <span class="age">(5 h ago)',
    );
    expect(html).toContain('>Sat 31 Oct 2026, 02:00 UTC</time> <span class="age">(3 d 7 h ago)');
    expect(html).toContain(">Tue 3 Nov 2026, 09:30 UTC</time>");
    expect(html).not.toMatch(/>\d{4}-\d\d-\d\dT/); // no ISO timestamp as text
    expect(renderExecutivePage(emptyData()).match(/>never</g)?.length).toBe(2);
    expect(formatAge(new Date(0), new Date(30_000))).toBe("just now");
    expect(formatAge(new Date(0), new Date(45 * 60_000))).toBe("45 min ago");
    expect(formatAge(new Date(0), new Date(20 * 86_400_000))).toBe("20 d ago");
    expect(formatAge(new Date(60_000), new Date(0))).toMatch(/future/);
  });

  it("is deterministic", () => {
    expect(renderExecutivePage(sampleData())).toBe(html);
  });
});

describe("renderExecutivePage: top tenants", () => {
  it("orders by exact cost descending (not as text), ties by company name then tenant id", () => {
    const tenants = [
      tenant("t-3", "Zeta", 0n, 999n), // "9.99" sorts above "10.00" as text
      tenant("t-2", "Beta", 0n, 1000n),
      tenant("t-9", "Alpha", 0n, 1000n),
      tenant("t-1", "Alpha", 0n, 1000n),
      tenant("t-4", "Gamma", 0n, 10000n),
    ];
    expect(topTenantsByCost(tenants, 10).map((t) => t.tenantId)).toEqual(["t-4", "t-1", "t-9", "t-2", "t-3"]);
    expect(barNames(renderExecutivePage(withTenants(tenants)))).toEqual(["Gamma", "Alpha", "Alpha", "Beta", "Zeta"]);
    expect(topTenantsByCost(tenants, 2).map((t) => t.tenantId)).toEqual(["t-4", "t-1"]);
  });

  it("draws the top 10 by default, counts the rest, and honours topTenants", () => {
    const tenants = Array.from({ length: 25 }, (_, i) =>
      tenant(`t-${String(i)}`, `Tenant ${String(i).padStart(2, "0")}`, 100000n, BigInt(1000 + i)),
    );
    const html = renderExecutivePage(withTenants(tenants));
    expect(barNames(html)).toEqual(Array.from({ length: 10 }, (_, i) => `Tenant ${String(24 - i)}`));
    // Same revenue, so the worst margin is the most costly: the table lists the same ten.
    expect(tableNames(html)).toEqual(Array.from({ length: 10 }, (_, i) => `Tenant ${String(24 - i)}`));
    expect(html).toContain("…and 15 more tenants not shown (25 in total).");
    expect(html.match(/<span class="bar" /g)?.length).toBe(10);
    const three = renderExecutivePage(withTenants(tenants), { topTenants: 3 });
    expect(three).toContain(">Top 3 tenants by modelled cost<");
    expect(barNames(three)).toEqual(["Tenant 24", "Tenant 23", "Tenant 22"]);
    for (const bad of [0, -1, 2.5, 101, Number.NaN])
      expect(() => renderExecutivePage(withTenants(tenants), { topTenants: bad })).toThrow(RangeError);
  });

  it("handles a single tenant with negative profit and no revenue", () => {
    const html = renderExecutivePage(withTenants([tenant("t-1", "Solo", 0n, 1230n)]));
    expect(html).toContain(`<span class="amt neg">-12.30</span>`);
    expect(html).toContain("All 1 tenant shown.");
    expect(html).toContain(">Critical Action Required<");
    expect(html).toContain(`<td class="num" data-label="Margin"><span class="na">n/a</span></td>`);
  });
});

describe("renderExecutivePage: hostile text", () => {
  const hostile = [
    HOSTILE_NAME,
    `"><img src=x onerror=alert(1)>`,
    `' onmouseover='alert(1)' x='`,
    `<svg onload=alert(1)><a href="https://evil.example/">x</a>`,
    `Nul\u0000Bell\u0007Esc\u001b]0;owned\u0007\u001b[2J\u009b31mC1\u0085\u202eRLO\ud800end`,
  ];
  const data = withTenants(hostile.map((name, i) => tenant(`t-${String(i)}`, name, 1000n, 500n + BigInt(i))));
  data.tenants.push(tenant(`<b>id</b>`, "ok", 0n, 1n));
  const html = renderExecutivePage(data);

  it("shows hostile names as inert escaped text, never as markup", () => {
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(html).toContain("&#39; onmouseover=&#39;alert(1)&#39; x=&#39;");
    expect(html).toContain("&lt;b&gt;id&lt;/b&gt;");
    const names = tags(html).map((t) => /^<([a-zA-Z]+)/.exec(t)?.[1]?.toLowerCase());
    expect(
      names.filter((n) =>
        ["script", "img", "a", "iframe", "object", "embed", "link", "b", "foreignobject"].includes(n ?? ""),
      ),
    ).toEqual([]);
    expect(tags(html).filter((t) => /\son\w+\s*=/i.test(t))).toEqual([]);
  });

  it("strips control characters, ESC sequences and bidi overrides", () => {
    // eslint-disable-next-line no-control-regex -- the assertion is that no C0/C1 control character is left
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(html).toContain("NulBellEscC1RLO\ufffdend");
    expect(sanitizeText("a\u001b[1;31mred\u001b[0m\tb\r\nc")).toBe("ared b c");
    expect(esc(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
    expect(truncate("ab😀cd", 4)).toBe("ab😀…");
  });

  it("references nothing outside the page: no URL, no src/href, no url(), no @import", () => {
    expect(
      tags(html).filter((t) => /\s(src|href|xlink:href|action|formaction|srcset|poster|data)\s*=/i.test(t)),
    ).toEqual([]);
    const outsideText = html.replace(/>[^<]*</g, "><"); // drop text nodes: a name may mention a URL harmlessly
    expect(outsideText).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/url\(|@import|<script/i);
    expect(renderExecutivePage(sampleData())).not.toMatch(/https?:\/\//i);
  });
});

describe("renderExecutivePage: empty, zero and large", () => {
  it("renders an empty fleet: no tenants, zero revenue, no trend, untracked not known", () => {
    const html = renderExecutivePage(emptyData());
    expect(html).toContain("No tenants with figures yet.");
    expect(html).toContain("No closed months yet");
    expect(html).toContain("no revenue yet");
    expect(html).toContain(`>not known<`);
    expect(html).not.toContain(`class="callout"`);
    expect(html).not.toContain("NaN");
    expect(html).not.toContain("Infinity");
  });

  it("highlights untracked spend only when it is above zero", () => {
    const zero = renderExecutivePage({ ...emptyData(), fleet: { ...emptyData().fleet, untrackedCost: "0.00" } });
    expect(zero).not.toContain(`class="callout"`);
    expect(zero).not.toContain("kpi alert");
    const some = renderExecutivePage({
      ...emptyData(),
      fleet: { ...emptyData().fleet, untrackedCost: "12.34", totalCost: "12.34" },
    });
    expect(some).toContain(`<p class="callout"><strong>Attention:</strong> <span class="amt">12.34</span> USD / month`);
    expect(some).toContain("kpi alert");
  });

  it("draws a one-month trend as points without a line", () => {
    const html = renderExecutivePage({
      ...emptyData(),
      trend: [{ month: "2026-10", revenue: "0.00", cost: "5.00", marginPercent: null }],
    });
    expect(html).toContain(">Oct 2026</text>");
    expect(html).toContain(">margin n/a</text>");
    expect(html).not.toContain("<polyline");
    expect(html.match(/<circle [^>]*r="4"/g)?.length).toBe(2 * 3); // two points, drawn at three sizes
  });

  it("labels crowded months sparsely and lists only the latest 12 in the table", () => {
    const trend = Array.from({ length: 36 }, (_, i) => ({
      month: `${String(2024 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, "0")}`,
      revenue: `${String(100 + i)}.00`,
      cost: "90.00",
      marginPercent: "1.00",
    }));
    const html = renderExecutivePage({ ...emptyData(), trend });
    expect(html.match(/<circle [^>]*r="2.5"/g)?.length).toBe(72 * 3);
    const wide = /<div class="chart-w">.*?<\/svg>/.exec(html)?.[0] ?? "";
    const labelled = [...wide.matchAll(/class="tick">(\w{3} \d{4})<\/text>/g)].map((m) => m[1]);
    expect(labelled.at(-1)).toBe("Dec 2026"); // the latest month is always labelled
    expect(labelled.length).toBeLessThan(18);
    const phone = /<div class="chart-n">.*?<\/svg>/.exec(html)?.[0] ?? "";
    expect([...phone.matchAll(/class="tick">(\w{3} \d{4})<\/text>/g)].length).toBeLessThan(6);
    expect(html.match(/<tr><td data-label="Month">\w{3} \d{4}<\/td>/g)?.length).toBe(12);
    expect(html).toContain(
      '<tr><td data-label="Month">Dec 2026</td><td class="num" data-label="Revenue (USD)"><span class="amt">135.00</span>',
    );
    expect(html).not.toContain(`<tr><td data-label="Month">Dec 2025</td>`);
    expect(html).toContain("The table lists the latest 12 of 36 months; the chart shows them all.");
  });

  it("refuses figures that are not decimal strings, invalid dates and months", () => {
    const d = emptyData();
    expect(() => renderExecutivePage({ ...d, fleet: { ...d.fleet, revenue: "NaN" } })).toThrow(/fleet.revenue/);
    expect(() => renderExecutivePage(withTenants([{ ...tenant("t", "n", 0n, 0n), cost: "1e3" }]))).toThrow(
      /tenants\[0\].cost/,
    );
    expect(() => renderExecutivePage({ ...d, generatedAt: new Date("nope") })).toThrow(TypeError);
    expect(() =>
      renderExecutivePage({ ...d, trend: [{ month: "2026-13", revenue: "0.00", cost: "0.00", marginPercent: null }] }),
    ).toThrow(/YYYY-MM/);
    expect(() =>
      renderExecutivePage({ ...d, forecast: [{ month: "2026-12", cost: "1.00", low: "NaN", high: "2.00" }] }),
    ).toThrow(/forecast\[0\].low/);
    expect(() => renderExecutivePage(d, { sort: "cheapest" as "cost" })).toThrow(RangeError);
  });

  it("stays small and fast with 10,000 tenants", () => {
    const tenants = Array.from({ length: 10_000 }, (_, i) =>
      tenant(
        `t-${String(i)}`,
        `Company ${String(i)} <&>`,
        BigInt(5000 + ((i * 7919) % 90000)),
        BigInt(1000 + ((i * 104729) % 80000)),
      ),
    );
    // Size, not speed: rendering time is not asserted in tests (the machines are noisy).
    const html = renderExecutivePage({ ...sampleData(), tenants });
    const bytes = Buffer.byteLength(html, "utf8");
    expect(bytes).toBeLessThan(200 * 1024);
    expect(html).toContain("…and 9,990 more tenants not shown (10,000 in total).");
    expect(tableNames(html)).toHaveLength(10);
  });
});
