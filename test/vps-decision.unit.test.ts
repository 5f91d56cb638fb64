import { describe, expect, it } from "vitest";
import { priceListSchema } from "../src/hostwinds/schemas.js";
import { decideFromHostwinds, decideLocally, serviceIdOf } from "../src/jobs/vps-decision.js";

const list = (monthly: string) => priceListSchema.parse({ "10": { rid: "10", monthly, current: 1 } });
const instance = { serviceid: 5006, billingcycle: "monthly" as const };

describe("a Hostwinds price entering the system", () => {
  it("is written when the cost column can hold it", () => {
    expect(decideFromHostwinds(instance, list("999999.99"))).toMatchObject({ kind: "cost", cents: 99_999_999n });
  });

  it("makes the VPS unpriced, with the reason, when approximate_cost cannot hold it", () => {
    expect(decideFromHostwinds(instance, list("1000000.00"))).toEqual({
      kind: "unpriced",
      reason: "get_price_list rid 10 monthly is 1000000.00 a month, more than approximate_cost holds (999999.99)",
    });
  });

  it("makes the VPS unpriced when it rounds to 0.00 a month (a positive price is no real cost at 0.00)", () => {
    expect(decideFromHostwinds(instance, list("0.001"))).toEqual({
      kind: "unpriced",
      reason: "get_price_list rid 10 monthly rounds to 0.00 a month",
    });
    expect(decideFromHostwinds(instance, list("0.005"))).toMatchObject({ kind: "cost", cents: 1n });
  });
});

describe("a hostwinds_instance_id that names no Hostwinds instance", () => {
  it.each(["0", "000", "", "-5", "12a", "1".repeat(16)])("%j is unpriced with the reason, never sent", (serviceId) => {
    expect(serviceIdOf({ serviceId })).toBeUndefined();
    const row = { id: "v", serviceId, status: "active", overrideCents: null } as Parameters<typeof decideLocally>[0];
    expect(decideLocally(row)).toEqual({
      kind: "unpriced",
      reason: `hostwinds_instance_id ${JSON.stringify(serviceId)} is not a Hostwinds serviceid`,
    });
  });

  it("leading zeros name the same instance", () => {
    expect(serviceIdOf({ serviceId: "0042" })).toBe(42);
  });
});
