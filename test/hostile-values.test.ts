import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { costOf, Harness, insertVps, settle } from "./support/harness.js";

// Values the columns cannot hold, arriving from Hostwinds or from a hand-edited system_config:
// each is stopped where it enters, with its reason; none fails every sync with a raw 22003.

const h = new Harness();
let rt: Runtime;
beforeAll(async () => {
  await h.setup();
  rt = await h.start();
});
afterAll(() => h.teardown());

describe("amounts the cost columns cannot hold", () => {
  it("a plan Hostwinds prices beyond approximate_cost makes that VPS unpriced, once, with the reason", async () => {
    h.sim.catalogue.setPlan({
      rid: "90",
      name: "Huge",
      ram: "1",
      cpu: "1",
      disk: "1",
      bandwidth: "1",
      prices: { monthly: "1000000.00" },
    });
    h.sim.catalogue.setInstance({ serviceid: 6001, rid: "90", billingcycle: "monthly" });
    h.sim.catalogue.setInstance({ serviceid: 6002, rid: "10", billingcycle: "monthly" });
    const huge = await insertVps(h, { serviceid: 6001 });
    const fine = await insertVps(h, { serviceid: 6002 });
    await settle(h, rt);
    expect(await costOf(h, "vps_instances", huge.vpsId)).toMatchObject({
      cost: "0.00",
      unpriced: "get_price_list rid 90 monthly is 1000000.00 a month, more than approximate_cost holds (999999.99)",
    });
    const r = await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }));
    expect(r).toMatchObject({ outcome: "completed" });
    expect((await costOf(h, "vps_instances", fine.vpsId)).cost).toBe("9.99");
    expect(await rt.queue.getFailedCount()).toBe(0);
  });

  it("an IP constant beyond its column, put in system_config by hand, fails IP jobs with a reason naming the key", async () => {
    await settle(h, rt);
    await h.sql(`UPDATE system_config SET value = '"10000.00"' WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`);
    try {
      h.sim.catalogue.setInstance({ serviceid: 6003, rid: "10", billingcycle: "monthly" });
      const { ipIds } = await insertVps(h, { serviceid: 6003, ips: 1 });
      const job = await rt.producer.enqueueIpCostSync(ipIds[0] ?? "", { reason: "test", dedupe: false });
      await expect(h.finished(job)).rejects.toThrow(
        "system_config cost_sync.smtp_ip_monthly_cost_usd is 10000.00, more than smtp_ip_addresses.approximate_cost holds (9999.99)",
      );
      expect(await costOf(h, "smtp_ip_addresses", ipIds[0] ?? "")).toMatchObject({ cost: "0.00", source: null });
    } finally {
      await h.sql(`UPDATE system_config SET value = '"4.99"' WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`);
    }
  });
});
