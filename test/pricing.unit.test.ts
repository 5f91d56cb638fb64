import { describe, expect, it } from "vitest";
import { priceListSchema, type Instance, type PriceOption } from "../src/hostwinds/schemas.js";
import { formatCents, offeredPrice, toCentsHalfUp, parseDec } from "../src/money.js";
import { monthlyPrice } from "../src/pricing/monthly-price.js";
import { DEFAULT_PLANS } from "../dev/simulator/catalogue.js";

const option = (rid: string, prices: Partial<Record<string, string>>, extra: Partial<PriceOption> = {}): PriceOption =>
  priceListSchema.parse([{ rid, ...prices, ...extra }])[0]!;
const instance = (billingcycle: Instance["billingcycle"], hourly = false): Instance => ({
  serviceid: 42,
  billingcycle,
  hourly,
});
const figure = (r: ReturnType<typeof monthlyPrice>) =>
  r.kind === "priced" ? formatCents(r.cents) : `unpriceable: ${r.reason}`;

describe("monthlyPrice", () => {
  const full = {
    monthly: "9.99",
    quarterly: "29.97",
    semiannually: "59.94",
    annually: "119.88",
    biennially: "239.76",
    triennially: "359.64",
  };
  it.each([
    ["monthly", "9.99"],
    ["quarterly", "9.99"],
    ["semiannually", "9.99"],
    ["annually", "9.99"],
    ["biennially", "9.99"],
    ["triennially", "9.99"],
  ] as const)("divides the %s price by its months", (cycle, expected) => {
    const r = monthlyPrice({ options: [option("10", full, { current: true })], instance: instance(cycle) });
    expect(figure(r)).toBe(expected);
    expect(r.kind === "priced" && r.source).toContain(`get_price_list rid 10 ${cycle}`);
  });

  it.each([
    ["quarterly", "29.97", "9.99"],
    ["quarterly", "10.00", "3.33"],
    ["quarterly", "10.01", "3.34"], // 3.33666… rounds up
    ["semiannually", "0.03", "0.01"], // 0.005 rounds half up
    ["annually", "100.00", "8.33"],
    ["triennially", "1000.00", "27.78"],
    ["monthly", "7.125", "7.13"], // sub-cent input rounded once, half up
    ["biennially", "0.11", "0.00"], // a real price that rounds to 0.00 is still a price
  ] as const)("rounds %s %s to %s once, half up", (cycle, price, expected) => {
    const r = monthlyPrice({
      options: [option("1", { [cycle]: price }, { current: true })],
      instance: instance(cycle),
    });
    expect(figure(r)).toBe(expected);
  });

  it("prices an hourly instance at its plan's monthly price and says so", () => {
    const r = monthlyPrice({ options: [option("10", full, { current: true })], instance: instance("hourly", true) });
    expect(figure(r)).toBe("9.99");
    expect(r.kind === "priced" && r.source).toMatch(/hourly instance at its plan's monthly price/);
  });

  it("uses the recurring price, not the first-period promo", () => {
    const promo = { monthly: { discount: "5.00", pctoff: "50", code: "HALF" } };
    // As Hostwinds sends it: the promo is dropped when the list is parsed, and never priced.
    const options = priceListSchema.parse({
      "10": { rid: "10", ...full, current: 1, promo, mtotal: "4.99", name: "Plan" },
    });
    expect(options[0]).not.toHaveProperty("promo");
    const r = monthlyPrice({ options, instance: instance("monthly") });
    expect(figure(r)).toBe("9.99");
  });

  it("prices a custom plan from its components' chosen options", () => {
    const custom = DEFAULT_PLANS.find((p) => p.rid === "20")!;
    const opts = priceListSchema.parse([{ rid: "20", monthly: "0.00", current: 1, pricing: custom.pricing }]);
    expect(figure(monthlyPrice({ options: opts, instance: instance("monthly") }))).toBe("17.99");
    expect(figure(monthlyPrice({ options: opts, instance: instance("quarterly") }))).toBe("17.99"); // (24.00 + 19.50 + 10.47 + 0.00) / 3
    expect(monthlyPrice({ options: opts, instance: instance("semiannually") }).kind).toBe("unpriceable"); // components not offered
  });

  it.each([["-1.00"], ["0.00"], [""], ["abc"], ["1e3"], [undefined]])(
    "treats %s as not offered, never a cost",
    (price) => {
      const prices = price === undefined ? { monthly: "9.99" } : { monthly: "9.99", annually: price };
      const r = monthlyPrice({ options: [option("12", prices, { current: true })], instance: instance("annually") });
      expect(r).toEqual({ kind: "unpriceable", reason: "cycle annually not offered for plan rid 12" });
    },
  );

  it("prices an upgrade target rid at the instance's cycle", () => {
    const opts = [option("10", full, { current: true }), option("11", { monthly: "19.99", quarterly: "56.97" })];
    const r = monthlyPrice({ options: opts, instance: instance("quarterly"), targetRid: "11" });
    expect(figure(r)).toBe("18.99");
    expect(r.kind === "priced" && r.source).toContain("upgrade target");
    expect(monthlyPrice({ options: opts, instance: instance("quarterly"), targetRid: "99" }).kind).toBe("unpriceable");
  });

  it("finds the plan by specs when none is flagged current, and refuses to guess between several", () => {
    const a = option("10", full, { ram: "2", cpu: "1", disk: "50" });
    const b = option("11", { monthly: "19.99" }, { ram: "4", cpu: "2", disk: "75" });
    const inst = { ...instance("monthly"), ram: "4", cpu: "2", disk: "75" } as Instance;
    expect(figure(monthlyPrice({ options: [a, b], instance: inst }))).toBe("19.99");
    expect(monthlyPrice({ options: [a, b], instance: instance("monthly") }).kind).toBe("unpriceable");
    const twoCurrent = [option("10", full, { current: true }), option("11", full, { current: true })];
    expect(monthlyPrice({ options: twoCurrent, instance: instance("monthly") }).kind).toBe("unpriceable");
  });
});

describe("money", () => {
  it("parses decimals exactly and rejects what is not a plain non-negative decimal", () => {
    expect(offeredPrice("9.99")).toEqual({ units: 999n, scale: 2 });
    expect(offeredPrice("-1.00")).toBeUndefined();
    expect(parseDec("NaN")).toBeUndefined();
    expect(parseDec("Infinity")).toBeUndefined();
    expect(toCentsHalfUp(parseDec("0.015")!)).toBe(2n);
    expect(toCentsHalfUp(parseDec("0.0149")!)).toBe(1n);
  });
});
