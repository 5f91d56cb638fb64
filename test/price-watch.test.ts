import { CronExpressionParser } from "cron-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PRICE_WATCH_SCHEDULER_ID } from "../src/jobs/definitions.js";
import { createMetrics } from "../src/ops/metrics.js";
import { statusReader } from "../src/ops/status-reader.js";
import type { Runtime } from "../src/runtime.js";
import { priceChanges } from "../src/services/price-watch/compare.js";
import { judgeMember } from "../src/services/price-watch/verify-member.js";
import { runInProcess } from "./support/cli-streams.js";
import { costOf, Harness, insertVps, settle } from "./support/harness.js";

// The daily price watch (issue #22): a price changed in the simulator is detected by the next watch
// (scheduled daily, so within 24 h), raised as a fleet-level anomaly, verified on one member, and
// members are repriced from their own answers only when that member confirms it.

let h: Harness;
let rt: Runtime;
let env: Record<string, string>;

// Each test of the watch builds its own world (docs/testing.md): a database, a simulator and a worker of its own.
beforeEach(async () => {
  h = new Harness();
  await h.setup();
  rt = await h.start();
  env = {
    DATABASE_URL: h.db.url,
    REDIS_URL: "redis://127.0.0.1:6379",
    QUEUE_PREFIX: h.prefix,
    HOSTWINDS_API_URL: h.sim.url,
    LOG_LEVEL: "silent",
  };
});
afterEach(() => h.teardown());

interface WatchJson {
  changes: {
    rid: string;
    cycle: string;
    oldPrice: string;
    newPrice: string;
    vpsOnPlan: number;
    confirmed: boolean | null;
  }[];
  baseline: boolean;
  calls: number;
}
const watch = async () => {
  const r = await runInProcess(["prices", "watch", "--json"], { env });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as WatchJson;
};
const setMonthly = (rid: string, monthly: string) => {
  const plan = h.sim.catalogue.plans.get(rid);
  if (!plan) throw new Error(`no plan ${rid}`);
  h.sim.catalogue.setPlan({ ...plan, prices: { ...plan.prices, monthly } });
};

/**
 * The watch's story (the second test): a baseline, a confirmed change of rid 10 (its members repriced), an
 * unconfirmed one of rid 12 (its member kept), then a watch that finds nothing new.
 */
async function priceChangesWatched(): Promise<void> {
  h.sim.catalogue.setInstance({ serviceid: 7001, rid: "10", billingcycle: "monthly" });
  h.sim.catalogue.setInstance({ serviceid: 7002, rid: "10", billingcycle: "monthly" });
  h.sim.catalogue.setInstance({ serviceid: 7003, rid: "12", billingcycle: "monthly", quote: { monthly: "39.99" } });
  const a = await insertVps(h, { serviceid: 7001 });
  const b = await insertVps(h, { serviceid: 7002 });
  const c = await insertVps(h, { serviceid: 7003 });
  await settle(h, rt);
  expect((await costOf(h, "vps_instances", a.vpsId)).cost).toBe("9.99");

  const first = await watch();
  expect(first).toMatchObject({ baseline: true, changes: [], calls: 1 });

  setMonthly("10", "10.99");
  const second = await watch();
  expect(second.baseline).toBe(false);
  expect(second.changes).toEqual([
    { rid: "10", cycle: "monthly", oldPrice: "9.99", newPrice: "10.99", vpsOnPlan: 2, confirmed: true },
  ]);
  expect(second.calls).toBe(2); // the catalogue, and one member's own price list
  await settle(h, rt);
  for (const v of [a, b]) {
    const cost = await costOf(h, "vps_instances", v.vpsId);
    expect(cost.cost).toBe("10.99");
    expect(cost.source).toBe("get_price_list rid 10 monthly");
  }
  const [history] = await h.sql<{ reason: string }>(
    `SELECT reason FROM cost_history WHERE resource_id = $1 ORDER BY id DESC LIMIT 1`,
    [a.vpsId],
  );
  expect(history?.reason).toMatch(
    /^catalogue price change: rid 10 monthly 9\.99 -> 10\.99, confirmed by serviceid 700[12]/,
  );

  // Hostwinds keeps existing services at their old price: the member does not confirm, nothing is repriced.
  h.sim.catalogue.setInstance({ serviceid: 7003, rid: "12", billingcycle: "monthly", quote: { monthly: "39.99" } });
  setMonthly("12", "44.99");
  const third = await watch();
  expect(third.changes).toEqual([
    { rid: "12", cycle: "monthly", oldPrice: "39.99", newPrice: "44.99", vpsOnPlan: 1, confirmed: false },
  ]);
  await settle(h, rt);
  expect((await costOf(h, "vps_instances", c.vpsId)).cost).toBe("39.99");

  // A watch with nothing new finds nothing (the copy follows the catalogue).
  expect((await watch()).changes).toEqual([]);
}

describe("the daily price watch", { timeout: 180_000 }, () => {
  it("is scheduled daily (UTC), so a price change is seen within 24 h", async () => {
    const scheduler = (await rt.queue.getJobSchedulers()).find((s) => s.key === PRICE_WATCH_SCHEDULER_ID);
    expect(scheduler?.pattern).toMatch(/\S/);
    const it = CronExpressionParser.parse(scheduler?.pattern ?? "", { tz: "UTC" });
    const first = it.next().getTime();
    expect(it.next().getTime() - first).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it("first run: a baseline, no change; a price changed at Hostwinds: detected, confirmed, members repriced from their own answers", async () => {
    await priceChangesWatched();
  });

  it("each change is a fleet-level anomaly listed by `anomalies`, shown by `status` and the gauge", async () => {
    await priceChangesWatched();
    const anomalies = await runInProcess(["anomalies", "--json"], { env });
    const listed = JSON.parse(anomalies.stdout) as {
      anomalies: {
        shown: { kind: string; resourceId: string | null; oldValue: string; newValue: string; detail: string }[];
      };
    };
    const price = listed.anomalies.shown.filter((x) => x.kind === "catalogue price change");
    expect(price.map((x) => [x.resourceId, x.oldValue, x.newValue, x.detail])).toEqual([
      [null, "39.99", "44.99", "rid 12 monthly: 39.99 -> 44.99, 1 VPS on it, existing services keep their price"],
      [
        null,
        "9.99",
        "10.99",
        expect.stringMatching(/^rid 10 monthly: 9\.99 -> 10\.99, 2 VPS on it, confirmed by serviceid 700[12]$/),
      ],
    ]);
    const status = await runInProcess(["status"], { env });
    expect(status.stdout).toMatch(/^price watch: \S+Z, 0 catalogue price change\(s\), 1 Hostwinds call\(s\)$/m);
    // The gauges, from the same status read the worker's /metrics uses.
    const metrics = createMetrics({ readStatus: statusReader(rt.queue, rt.db) });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^cost_sync_catalogue_price_changes 0$/m);
    expect(text).toMatch(/^cost_sync_last_price_watch_timestamp_seconds \d+(\.\d+)?$/m);
  });
});

describe("the pieces", () => {
  it("compares exact amounts: 9.90 is 9.9; a plan or cycle that appears is not a change", () => {
    const was = [
      { rid: "10", cycle: "monthly", price: "9.90" },
      { rid: "11", cycle: "annually", price: "215.88" },
    ];
    const now = [
      { rid: "10", cycle: "monthly", price: "9.9" },
      { rid: "11", cycle: "annually", price: "199.00" },
      { rid: "13", cycle: "monthly", price: "5.00" },
    ];
    expect(priceChanges(was, now)).toEqual([{ rid: "11", cycle: "annually", oldPrice: "215.88", newPrice: "199.00" }]);
  });

  it("a member on another plan now tells nothing", () => {
    const change = { rid: "10", cycle: "monthly", oldPrice: "9.99", newPrice: "10.99" };
    expect(judgeMember(change, "5", [{ rid: "11", current: true, monthly: "10.99" }])).toMatchObject({
      confirmed: null,
    });
  });
});
