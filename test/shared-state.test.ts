import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groupKey } from "../src/pricing/catalogue.js";
import type { Runtime } from "../src/runtime.js";
import { costOf, Harness, insertVps, settle } from "./support/harness.js";

// Issue #22: account-specific prices survive event syncs, and shared state in Redis that lies
// (a catalogue or plan-map entry that does not parse, has another shape, or holds a tampered or
// out-of-bounds price) is discarded, logged once, refetched or relearned, and the job succeeds.

const h = new Harness();
let rt: Runtime;
let redis: Redis;
const key = (k: string) => `${h.prefix}:hostwinds:${k}`;
/** The plan-map field of rid 10's group, as the simulator describes its instances. */
const GROUP_10 = groupKey({ product_id: "10", ram: "2", cpu: "1", disk: "50", bandwidth: "2" }) ?? "";

beforeAll(async () => {
  // Every member verified: the account-specific member is certain to be sampled.
  await h.setup({ HOSTWINDS_VERIFY_SAMPLE_PERCENT: "100" });
  rt = await h.start();
  redis = new Redis("redis://127.0.0.1:6379");
});
afterAll(async () => {
  redis.disconnect();
  await h.teardown();
});

const reconcile = async () =>
  h.finished<{ runId: string }>(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
const syncNow = async (vpsId: string) =>
  h.finished<{ outcome: string; cost?: string; source?: string }>(
    await rt.producer.enqueueVpsCostSync(vpsId, { reason: "test sync", dedupe: false }),
  );
const logged = (text: string) => h.logs.lines.filter((l) => l.includes(text)).length;

describe("account-specific prices", { timeout: 120_000 }, () => {
  it("reconcile, then an event sync: the price is still 7.77; a new row in the group is priced from its own answer", async () => {
    h.sim.catalogue.setInstance({ serviceid: 5001, rid: "10", billingcycle: "monthly", quote: { monthly: "7.77" } });
    h.sim.catalogue.setInstance({ serviceid: 5002, rid: "10", billingcycle: "monthly" });
    const a = await insertVps(h, { serviceid: 5001 });
    await insertVps(h, { serviceid: 5002 });
    await settle(h, rt);
    await reconcile();
    expect((await costOf(h, "vps_instances", a.vpsId)).cost).toBe("7.77");
    const entry = JSON.parse((await redis.hget(key("plan-map"), GROUP_10)) ?? "{}") as { perInstance?: string };
    expect(entry.perInstance).toMatch(/^catalogue mismatch on 1 of 2 sampled/);

    // The event sync used to price it from the learned plan and the catalogue: 9.99.
    expect(await syncNow(a.vpsId)).toMatchObject({ outcome: "priced", cost: "7.77" });
    expect((await costOf(h, "vps_instances", a.vpsId)).cost).toBe("7.77");

    // A new row in that group, quoted its own price: priced from it, never from the catalogue.
    h.sim.catalogue.setInstance({ serviceid: 5003, rid: "10", billingcycle: "monthly", quote: { monthly: "7.77" } });
    const c = await insertVps(h, { serviceid: 5003 });
    await settle(h, rt);
    expect((await costOf(h, "vps_instances", c.vpsId)).cost).toBe("7.77");
    // The mark stays until a reconciliation verifies the group again.
    expect(JSON.parse((await redis.hget(key("plan-map"), GROUP_10)) ?? "{}")).toHaveProperty("perInstance");
  });
});

describe("shared state that can lie", { timeout: 120_000 }, () => {
  let vpsId: string;
  beforeAll(async () => {
    h.sim.catalogue.setInstance({ serviceid: 6001, rid: "11", billingcycle: "monthly" });
    vpsId = (await insertVps(h, { serviceid: 6001 })).vpsId;
    await settle(h, rt);
  });
  const GROUP_11 = groupKey({ product_id: "11", ram: "4", cpu: "2", disk: "75", bandwidth: "3" }) ?? "";
  beforeEach(async () => {
    // A clean start: the catalogue and plan map as a reconciliation leaves them, the cost as priced.
    await reconcile();
    expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("19.99");
  });
  const old = (copy: Record<string, unknown>) => ({ ...copy, fetchedAt: Date.now() - 3_600_000 });
  const copy = async () => JSON.parse((await redis.get(key("catalogue"))) ?? "{}") as Record<string, unknown>;
  const withPrice = (c: Record<string, unknown>, rid: string, monthly: string) => ({
    ...c,
    options: (c.options as { rid: string }[]).map((o) => (o.rid === rid ? { ...o, monthly } : o)),
  });

  it.each([
    [
      "a catalogue that is not JSON",
      () => redis.set(key("catalogue"), "{not json", "EX", 600),
      "shared catalogue copy discarded",
    ],
    [
      "a catalogue of another shape",
      () => redis.set(key("catalogue"), JSON.stringify({ version: "x", options: 3 }), "EX", 600),
      "shared catalogue copy discarded",
    ],
    [
      "a catalogue price beyond the bounds",
      async () => redis.set(key("catalogue"), JSON.stringify(withPrice(await copy(), "11", "99999999.00")), "EX", 600),
      "shared catalogue copy discarded",
    ],
    [
      "a plan-map entry that is not JSON",
      () => redis.hset(key("plan-map"), GROUP_11, "{oops"),
      "plan-map entry discarded",
    ],
    [
      "a plan-map entry of another shape",
      () => redis.hset(key("plan-map"), GROUP_11, JSON.stringify({ option: { rid: 11 }, learnedAt: "yesterday" })),
      "plan-map entry discarded",
    ],
  ])(
    "%s: discarded, logged once, refetched or relearned; the sync succeeds at 19.99",
    async (_what, corrupt, message) => {
      await corrupt();
      const before = logged(message);
      expect(await syncNow(vpsId)).toMatchObject({ outcome: "priced", cost: "19.99" });
      expect(await syncNow(vpsId)).toMatchObject({ outcome: "priced", cost: "19.99" });
      expect(logged(message) - before).toBe(1);
      expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("19.99");
    },
  );

  it("a catalogue copy tampered to 0.01: the plan map's learned price disagrees, the catalogue is fetched again", async () => {
    await redis.set(key("catalogue"), JSON.stringify(old(withPrice(await copy(), "11", "0.01"))), "EX", 600);
    const fetches = h.sim.requests.filter((r) => r.action === "get_price_list" && !r.params.serviceid).length;
    expect(await syncNow(vpsId)).toMatchObject({ outcome: "priced", cost: "19.99" });
    expect(h.sim.requests.filter((r) => r.action === "get_price_list" && !r.params.serviceid).length).toBe(fetches + 1);
    expect(((await copy()).options as { rid: string; monthly: string }[]).find((o) => o.rid === "11")?.monthly).toBe(
      "19.99",
    );
  });

  it("a plan-map price tampered to 0.01: not trusted; the instance's own price list prices it and is learned", async () => {
    const entry = JSON.parse((await redis.hget(key("plan-map"), GROUP_11)) ?? "{}") as { option: object };
    await redis.hset(
      key("plan-map"),
      GROUP_11,
      JSON.stringify({ ...entry, option: { ...entry.option, monthly: "0.01" } }),
    );
    expect(await syncNow(vpsId)).toMatchObject({ outcome: "priced", cost: "19.99" });
    const relearned = JSON.parse((await redis.hget(key("plan-map"), GROUP_11)) ?? "{}") as {
      option: { monthly: string };
    };
    expect(relearned.option.monthly).toBe("19.99");
  });
});
