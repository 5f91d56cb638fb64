import { describe, expect, it } from "vitest";
import { renderExecutivePage, type ExecutivePageData } from "../src/reports/executive-page.js";
import { sampleDataWithExtras } from "./support/executive-sample.js";

/** The page as src/services/executive/page-data.ts fills it: the forecast service's months and budget statuses. */
const full = sampleDataWithExtras();
const withForecast = (forecast: ExecutivePageData["forecast"], forecastNote: string | null = null): string =>
  renderExecutivePage({ ...full, forecast, forecastNote });
const polygons = (html: string) => html.match(/<polygon [^>]*fill-opacity="0.18"/g)?.length ?? 0;

describe("the forecast band as the forecast service gives it", () => {
  it("shades the p10–p90 band after the last closed month and lists each month's range", () => {
    const html = withForecast([
      { month: "2026-11", cost: "8700.00", low: "8500.00", high: "8900.00" },
      { month: "2026-12", cost: "8800.00", low: "8400.00", high: "9200.00" },
    ]);
    expect(polygons(html)).toBe(3); // once per drawing size
    expect(html.match(/stroke-dasharray="6 5"/g)?.length).toBe(3);
    expect(html).toContain(`<td data-label="Month">Dec 2026 (forecast)</td>`);
    expect(html).toContain(`(8400.00–9200.00)`);
  });

  it("draws the median alone, no band and no range, with the note, when the history is too short for an interval", () => {
    const note = "only 2 months of history: no trend and no interval yet";
    const html = withForecast(
      [
        { month: "2026-11", cost: "8700.00", low: null, high: null },
        { month: "2026-12", cost: "8700.00", low: null, high: null },
      ],
      note,
    );
    expect(polygons(html)).toBe(0);
    expect(html.match(/stroke-dasharray="6 5"/g)?.length).toBe(3);
    expect(html).toContain(`<td data-label="Month">Dec 2026 (forecast)</td>`);
    expect(html).not.toContain(`<span class="range">`);
    expect(html).toContain(`<p class="more">Forecast: ${note}</p>`);
    expect(withForecast(full.forecast, note)).toContain(note);
    expect(renderExecutivePage({ ...full, forecast: [], forecastNote: note })).not.toContain(note);
  });

  it("refuses a band bound that is not a decimal, and accepts a missing one", () => {
    expect(() => withForecast([{ month: "2026-11", cost: "1.00", low: "1e2", high: null }])).toThrow(
      /forecast\[0\]\.low/,
    );
    expect(() => withForecast([{ month: "2026-11", cost: "1.00", low: null, high: null }])).not.toThrow();
  });
});

describe("the budget card as the budget statuses give it", () => {
  it("lists every budget, over first then at risk then ok, with its budget and month-end forecast", () => {
    const html = renderExecutivePage({
      ...full,
      budgets: {
        items: [
          { name: "Fleet", tenantId: null, budget: "9000.00", forecast: "8650.10", status: "ok" },
          { name: "Plan 77", tenantId: null, budget: "50.00", forecast: "49.00", status: "at risk" },
          { name: "Acme <Outreach>", tenantId: full.tenants[0]!.tenantId, budget: "400.00", forecast: "455.20", status: "over" }, // prettier-ignore
        ],
      },
    });
    const card = html.slice(html.indexOf("<h2>Budgets</h2>"));
    const order = ["Acme &lt;Outreach&gt;", "Plan 77", "Fleet"].map((n) => card.indexOf(`>${n}<`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain(`<div class="k-v">1 over</div>`);
    expect(html).toContain("1 at risk, of 3 budgets");
    expect(renderExecutivePage({ ...full, budgets: { items: [] } })).toContain("No budget set.");
  });
});
