import { describe, expect, it } from "vitest";
import { billingCyclePricesSchema } from "../src/hostwinds/schemas.js";
import { cycleSaving, ratioHalfUp } from "../src/pricing/cycle-savings.js";

// The billing-cycle judgement (docs/savings.md, "billing_cycle") and how get_billingcycle_prices
// answers are read: exact cents, the cheapest longer cycle, nothing invented from {} or garbage.

describe("cycleSaving", () => {
  const plan = { monthly: "10.00", quarterly: "29.40", semiannually: "57.00", annually: "108.00", biennially: "-1.00" };

  it("picks the cheapest longer cycle, with the upfront amount and the break-even", () => {
    expect(cycleSaving(plan, "monthly", "catalogue rid 30")).toMatchObject({
      kind: "saving",
      targetCycle: "annually",
      currentMonthlyCents: 1000n,
      targetMonthlyCents: 900n,
      monthlySavingCents: 100n,
      upfrontCents: 10800n,
      breakEvenMonths: "10.80",
    });
    expect(cycleSaving(plan, "quarterly", "x")).toMatchObject({ targetCycle: "annually", monthlySavingCents: 80n });
  });

  it("finds nothing on the longest cycle offered, or when longer costs more a month", () => {
    expect(cycleSaving(plan, "annually", "x")).toEqual({
      kind: "none",
      reason: "already on the longest cycle x offers (annually)",
    });
    expect(cycleSaving({ monthly: "10.00", annually: "126.00" }, "monthly", "x")).toMatchObject({
      kind: "none",
      reason: expect.stringMatching(/^no longer cycle costs less a month: cheapest annually 10.50/) as string,
    });
    expect(cycleSaving({ monthly: "9.99", annually: "119.88" }, "monthly", "x").kind).toBe("none");
    expect(cycleSaving({ annually: "108.00" }, "monthly", "x")).toMatchObject({ kind: "none" });
  });

  it("rounds each monthly equivalent once, half up, and the break-even to 2 places", () => {
    // 100.00 / 12 = 8.3333 -> 8.33; 9.99 - 8.33 = 1.66; 100.00 / 9.99 = 10.0100... -> 10.01
    expect(cycleSaving({ monthly: "9.99", annually: "100.00" }, "monthly", "x")).toMatchObject({
      targetMonthlyCents: 833n,
      monthlySavingCents: 166n,
      breakEvenMonths: "10.01",
    });
    expect(ratioHalfUp(1n, 8n)).toBe("0.13");
  });
});

describe("get_billingcycle_prices answers", () => {
  it("reads {} as none and prices per cycle in WHMCS spellings", () => {
    expect(billingCyclePricesSchema.parse({})).toEqual({ kind: "none" });
    expect(
      billingCyclePricesSchema.parse({ Monthly: "8.00", "Semi-Annually": { price: "45.00", duedate: "2027-01-01" } }),
    ).toEqual({ kind: "prices", prices: { monthly: "8.00", semiannually: "45.00" } });
  });

  it("reads no price from an answer it cannot read, instead of guessing", () => {
    // Keys present but no cycle price read from them: "unknown" (the savings count it as malformed, no opportunity).
    expect(billingCyclePricesSchema.parse({ monthly: { due: "soon" } })).toEqual({
      kind: "unknown",
      keys: ["monthly"],
    });
    expect(billingCyclePricesSchema.parse({ monthly: 8 })).toEqual({ kind: "unknown", keys: ["monthly"] });
    expect(billingCyclePricesSchema.parse({ weekly: "1.00" })).toEqual({ kind: "unknown", keys: ["weekly"] });
    expect(billingCyclePricesSchema.safeParse(["8.00"]).success).toBe(false);
  });
});
