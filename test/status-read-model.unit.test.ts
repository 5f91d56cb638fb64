import { describe, expect, it } from "vitest";
import type { SqlRunner } from "../src/db/client.js";
import { readStatusFigures } from "../src/db/read-models/status.js";

// Rows as the driver hands them: count(*) without a cast arrives as a bigint, numeric::text as a string.
const FIGURES_ROW = {
  unpricedVps: 2,
  openAnomalies: 5n,
  attributionRefreshedAt: new Date("2026-11-20T11:58:30Z"),
  lastReconciliationAt: null,
  untrackedInstances: 3,
  untrackedMonthlyUsd: "27.45",
  ghostRows: null,
  budgetsOk: 1,
  budgetsAtRisk: 0,
  budgetsOver: 2n,
  lastPriceWatchAt: null,
  priceWatchChanges: null,
};
const BUSINESS_ROW = {
  fallenToMonitor: null,
  fallenToCritical: null,
  negativeMarginTenants: 3,
  fleetModelledCostUsd: "1234.56",
  fleetRevenueUsd: "1000.00",
  fleetMarginUsd: "-234.56",
  invoiceMonth: "2026-10-01",
  invoiceAccuracy: null,
  invoicedUsd: null,
  lastClosedMonth: null,
  previousMonthClosed: false,
  fleetForecastUsd: null,
};

/** A database that answers status/figures and status/business with the rows given. */
function db(figures: Record<string, unknown>, business: Record<string, unknown>): SqlRunner {
  const answer = (text: string) => (text.includes("executive_fleet_summary") ? [business] : [figures]);
  return { $queryRawUnsafe: (text: string) => Promise.resolve(answer(text)) } as unknown as SqlRunner;
}

describe("the status read model", () => {
  it("converts each column once: bigint counts to numbers, amounts kept as exact strings", async () => {
    const f = await readStatusFigures(db(FIGURES_ROW, BUSINESS_ROW));
    expect(f.openAnomalies).toBe(5);
    expect(f.budgets).toEqual({ ok: 1, at_risk: 0, over: 2 });
    expect(f.untracked).toEqual({ instances: 3, monthlyUsd: "27.45" });
    expect(f.business.fleetMarginUsd).toBe("-234.56");
    expect(f.priceWatch).toBeNull();
  });

  it("fails the read on a blank or NaN amount from the database, naming the column, never a 0", async () => {
    for (const bad of ["", "NaN"]) {
      await expect(readStatusFigures(db(FIGURES_ROW, { ...BUSINESS_ROW, fleetMarginUsd: bad }))).rejects.toThrow(
        `column "status/business.fleetMarginUsd" is ${JSON.stringify(bad)}`,
      );
      await expect(readStatusFigures(db({ ...FIGURES_ROW, untrackedMonthlyUsd: bad }, BUSINESS_ROW))).rejects.toThrow(
        `column "status/figures.untrackedMonthlyUsd"`,
      );
    }
  });

  it("fails the read on a count that is not one, or a column the statement no longer returns", async () => {
    await expect(readStatusFigures(db({ ...FIGURES_ROW, unpricedVps: "2" }, BUSINESS_ROW))).rejects.toThrow(
      `column "status/figures.unpricedVps" is "2", not a count`,
    );
    const renamed: Record<string, unknown> = { ...BUSINESS_ROW };
    delete renamed.negativeMarginTenants;
    await expect(readStatusFigures(db(FIGURES_ROW, renamed))).rejects.toThrow(
      `column "status/business.negativeMarginTenants" is undefined`,
    );
  });
});
