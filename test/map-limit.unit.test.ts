import { describe, expect, it } from "vitest";
import { mapLimit } from "../src/map-limit.js";
import { askCyclePrices } from "../src/services/savings/cycle-prices.js";

const tick = (n: number) => new Promise((r) => setTimeout(r, n));

describe("mapLimit (src/map-limit.ts, shared by the reconciliation and savings)", () => {
  it("keeps at most `limit` in flight and the results in the order of the items", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 5, 20, 1, 10], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await tick(n);
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([60, 10, 40, 2, 20]);
    expect(most).toBe(2);
  });
});

describe("askCyclePrices", () => {
  it("answers in the order asked, the slowest first one included, through mapLimit", async () => {
    const reader = {
      async getBillingCyclePrices(serviceId: number) {
        await tick(serviceId === 1 ? 30 : 1);
        return { kind: "none" as const };
      },
    };
    const answers = await askCyclePrices(reader, ["1", "2", "3"], 3);
    expect(answers.map((a) => a.serviceId)).toEqual(["1", "2", "3"]);
  });

  it("asks one at a time when the limit is 0", async () => {
    const reader = { getBillingCyclePrices: () => Promise.resolve({ kind: "none" as const }) };
    const answers = await askCyclePrices(reader, ["7", "8"], 0);
    expect(answers.map((a) => a.outcome)).toEqual(["none", "none"]);
  });
});
