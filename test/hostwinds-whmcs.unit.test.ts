import { describe, expect, it } from "vitest";
import { errorObjectError } from "../src/hostwinds/envelope.js";
import { priceListAnswerSchema, priceListProblem } from "../src/hostwinds/price-list.js";
import { billingCyclePricesSchema, instanceSchema, priceListSchema } from "../src/hostwinds/schemas.js";
import { classify } from "../src/jobs/failure-policy.js";
import { decideFromPrice } from "../src/jobs/vps-decision.js";
import { formatCents } from "../src/money.js";
import { FREE_ACCOUNT_SOURCE, monthlyPrice } from "../src/pricing/monthly-price.js";

// Hostwinds as it really answers (issue #22): WHMCS's cycle spellings, JSON-number prices, one bad
// option among good ones, get_billingcycle_prices' documented `{}`, and "Invalid Action.".

const plan10 = priceListSchema.parse([
  {
    rid: "10",
    current: 1,
    monthly: "9.99",
    quarterly: "29.97",
    semiannually: "59.94",
    annually: "119.88",
    biennially: "239.76",
    triennially: "359.64",
  },
]);
const instance = (billingcycle: string) => instanceSchema.parse({ serviceid: 5006, billingcycle });

describe("billing cycles as WHMCS spells them", () => {
  it.each([
    ["Monthly", "monthly"],
    ["Quarterly", "quarterly"],
    ["Semi-Annually", "semiannually"],
    ["semi annually", "semiannually"],
    ["SEMI_ANNUALLY", "semiannually"],
    ["Annually", "annually"],
    ["Biennially", "biennially"],
    ["Triennially", "triennially"],
    ["One Time", "onetime"],
    ["one-time", "onetime"],
    ["Free Account", "freeaccount"],
    ["Hourly", "hourly"],
  ])("reads %j as %s, and prices every recurring one at 9.99 a month", (spelling, cycle) => {
    const i = instance(spelling);
    expect(i.billingcycle).toBe(cycle);
    const r = decideFromPrice(monthlyPrice({ options: plan10, instance: i }));
    if (cycle !== "onetime" && cycle !== "freeaccount") expect(r).toMatchObject({ kind: "cost", cents: 999n });
  });

  it('"One Time" is unpriced with a reason saying it has no recurring cost: never 0.00 over a price', () => {
    const r = decideFromPrice(monthlyPrice({ options: plan10, instance: instance("One Time") }));
    expect(r).toEqual({
      kind: "unpriced",
      reason:
        'billingcycle "One Time" has no recurring monthly cost (paid once) for serviceid 5006: the previous cost is kept',
    });
  });

  it('"Free Account" costs 0.00, with a source that says so, even without a current plan', () => {
    for (const options of [plan10, []]) {
      const r = decideFromPrice(monthlyPrice({ options, instance: instance("Free Account") }));
      expect(r).toEqual({ kind: "cost", outcome: "priced", cents: 0n, source: FREE_ACCOUNT_SOURCE });
    }
    expect(FREE_ACCOUNT_SOURCE).toMatch(/^Free Account: /);
  });

  it("an unknown cycle is still refused, by name", () => {
    expect(instanceSchema.safeParse({ serviceid: 1, billingcycle: "Weekly" }).success).toBe(false);
  });
});

describe("prices sent as JSON numbers", () => {
  const read = (monthly: unknown) => priceListAnswerSchema.parse({ "10": { rid: "10", current: 1, monthly } });
  it.each([
    [19.99, "19.99"],
    [20, "20"],
    [0.5, "0.5"],
    [-1, "-1"],
  ])("accepts %s as %j", (n, text) => {
    expect(read(n).options[0]?.monthly).toBe(text);
  });
  it.each([[39.999], [0.1 + 0.2], [1e21], [1.005]])("refuses %s, naming the option", (n) => {
    const answer = read(n);
    expect(answer.options).toEqual([]);
    expect(answer.rejected[0]).toMatchObject({ key: "10", rid: "10", current: true });
    expect(answer.rejected[0]?.reason).toContain(
      "is a JSON number that is not an exact amount with at most 2 decimals",
    );
  });
});

describe("a partial price list", () => {
  const answer = priceListAnswerSchema.parse({
    "10": { rid: "10", current: 1, monthly: "9.99" },
    "12": { rid: "12", monthly: 39.999 },
    "13": { monthly: "79.99" },
  });

  it("prices from the good options and records each bad one with its reason", () => {
    expect(answer.options.map((o) => o.rid)).toEqual(["10"]);
    expect(answer.rejected.map((r) => [r.key, r.reason])).toEqual([
      ["12", "monthly 39.999 is a JSON number that is not an exact amount with at most 2 decimals"],
      ["13", "rid is missing"],
    ]);
    expect(priceListProblem(answer)).toBeUndefined();
    const r = monthlyPrice({ options: answer.options, instance: instance("Monthly") });
    expect(r.kind === "priced" && formatCents(r.cents)).toBe("9.99");
  });

  it("is not trusted when the current plan is the option left out, or when every option is", () => {
    const current = priceListAnswerSchema.parse({
      "10": { rid: "10", current: 1, monthly: 9.999 },
      "11": { rid: "11" },
    });
    expect(priceListProblem(current)).toMatch(/^the current plan could not be read: get_price_list option 10/);
    const none = priceListAnswerSchema.parse({ "10": { monthly: "1.00" } });
    expect(priceListProblem(none)).toMatch(/^every one of the 1 options was rejected/);
  });
});

describe("get_billingcycle_prices", () => {
  it("reads the documented {} as no per-instance cycle prices", () => {
    expect(billingCyclePricesSchema.parse({})).toEqual({ kind: "none" });
    expect(billingCyclePricesSchema.parse([])).toEqual({ kind: "none" });
  });
  it("reads prices per cycle in WHMCS's spellings, and tells an unknown shape apart", () => {
    expect(billingCyclePricesSchema.parse({ "Semi-Annually": { price: "59.94", duedate: "2027-01-01" } })).toEqual({
      kind: "prices",
      prices: { semiannually: "59.94" },
    });
    expect(billingCyclePricesSchema.parse({ nextdue: "2027-01-01" })).toEqual({ kind: "unknown", keys: ["nextdue"] });
  });
});

describe('"Invalid Action."', () => {
  it("is an unknown action (ERROR 6734 named), which fails the job instead of leaving VPS unpriced", () => {
    const e = errorObjectError(
      { result: "error", message: "Invalid Action.", ERROR: "6734" },
      { action: "get_price_list", status: 200, secret: undefined },
    );
    expect(e.kind).toBe("unknown_action");
    expect(e.message).toBe(
      'Hostwinds get_price_list: Hostwinds does not know this action ("Invalid Action.", ERROR 6734): the API changed',
    );
    expect(classify(e).action).toBe("fail");
  });
});
