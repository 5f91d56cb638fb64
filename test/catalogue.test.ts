import { Redis } from "ioredis";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { HostwindsClient } from "../src/hostwinds/client.js";
import type { BillingCycle } from "../src/hostwinds/schemas.js";
import { formatCents } from "../src/money.js";
import { monthlyPrice } from "../src/pricing/monthly-price.js";
import type { Runtime } from "../src/runtime.js";
import { runInProcess } from "./support/cli-streams.js";
import { API_KEY, costOf, Harness, insertVps, settle } from "./support/harness.js";

// Catalogue pricing: Hostwinds calls grow with the number of plans, not of VPS, and every figure
// equals per-instance pricing to the cent (docs/decisions.md, "Catalogue pricing").

const h = new Harness();
let rt: Runtime;
const agent = new Agent();
let redis: Redis;
beforeAll(async () => {
  await h.setup({ HOSTWINDS_VERIFY_SAMPLE_PERCENT: "10" });
  rt = await h.start();
  redis = new Redis("redis://127.0.0.1:6379");
});
afterAll(async () => {
  redis.disconnect();
  await agent.close();
  await h.teardown();
});

/** What per-instance pricing (get_price_list(serviceid), one call each) gives an instance. */
async function perInstance(serviceid: number): Promise<string> {
  const client = new HostwindsClient({ url: h.sim.url, apiKey: API_KEY, dispatcher: agent });
  const [instance, options] = await Promise.all([client.getInstance(serviceid), client.getPriceList(serviceid)]);
  const r = monthlyPrice({ options, instance });
  return r.kind === "priced" ? formatCents(r.cents) : `unpriced: ${r.reason}`;
}

const reconcile = async () =>
  h.finished<{ runId: string }>(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
const requestsFor = (sid: number) => h.sim.requests.filter((r) => r.params.serviceid === String(sid));
const catalogueFetches = () =>
  h.sim.requests.filter((r) => r.action === "get_price_list" && r.params.serviceid === undefined).length;

describe("catalogue pricing", () => {
  it("prices a mixed fleet exactly as per-instance pricing does: plans, cycles, a custom plan, hourly instances", async () => {
    const cycles: (BillingCycle | "hourly")[] = ["monthly", "quarterly", "semiannually", "annually", "hourly"];
    const fleet: { vpsId: string; sid: number }[] = [];
    let sid = 3000;
    for (const rid of ["10", "11", "12", "20"]) {
      for (const cycle of cycles) {
        for (let k = 0; k < 3; k++) {
          h.sim.catalogue.setInstance({ serviceid: ++sid, rid, billingcycle: cycle, hourly: cycle === "hourly" });
          fleet.push({ vpsId: (await insertVps(h, { serviceid: sid })).vpsId, sid });
        }
      }
    }
    await settle(h, rt);
    const r = await reconcile();
    const [run] = await h.sql<{ calls_fallback: number; calls_learn: number }>(
      `SELECT calls_fallback, calls_learn FROM cost_reconciliation_runs WHERE id = $1`,
      [r.runId],
    );
    expect(run).toMatchObject({ calls_fallback: 0, calls_learn: 4 });
    for (const v of fleet) {
      const stored = await costOf(h, "vps_instances", v.vpsId);
      const expected = await perInstance(v.sid);
      if (expected.startsWith("unpriced")) expect(`unpriced: ${stored.unpriced ?? ""}`).toBe(expected);
      else expect(stored.cost).toBe(expected);
    }
  });

  it("prices per instance a group whose sampled member disagrees with the catalogue, and reports it", async () => {
    const rc = await h.start({}, h.config({ HOSTWINDS_VERIFY_SAMPLE_PERCENT: "100" }));
    await rt.close(); // only the worker that verifies everything takes this run
    const sids = [3201, 3202, 3203];
    for (const s of sids)
      h.sim.catalogue.setInstance({ serviceid: s, rid: "10", billingcycle: "monthly", productId: "p-quoted" });
    h.sim.catalogue.setInstance({
      serviceid: 3202,
      rid: "10",
      billingcycle: "monthly",
      productId: "p-quoted",
      quote: { monthly: "8.49" },
    });
    const ids = [];
    for (const s of sids) ids.push((await insertVps(h, { serviceid: s })).vpsId);
    await settle(h, rc);
    const r = await h.finished<{ runId: string }>(
      await rc.producer.enqueueReconciliation({ trigger: "manual" }),
      60_000,
    );
    const mismatches = await h.sql(
      `SELECT serviceid, catalogue_price, instance_price FROM cost_catalogue_mismatches WHERE run_id = $1`,
      [r.runId],
    );
    expect(mismatches).toEqual([{ serviceid: "3202", catalogue_price: "9.99", instance_price: "8.49" }]);
    expect((await costOf(h, "vps_instances", ids[1] ?? "")).cost).toBe("8.49");
    const [group] = await h.sql<{ mode: string; reason: string }>(
      `SELECT mode, reason FROM cost_reconciliation_groups WHERE run_id = $1 AND group_key LIKE '["p-quoted"%'`,
      [r.runId],
    );
    expect(group).toMatchObject({ mode: "per-instance", reason: "catalogue mismatch on 1 of 3 sampled" });
    // `status` lists the latest run's mismatches for the operator.
    const env = {
      DATABASE_URL: h.db.url,
      QUEUE_PREFIX: h.prefix,
      HOSTWINDS_API_URL: h.sim.url,
      HOSTWINDS_API_KEY: API_KEY,
    };
    const status = await runInProcess(["status", "--json"], { env });
    expect(JSON.parse(status.stdout)).toMatchObject({
      latestRun: { id: r.runId },
      catalogueMismatches: { total: 1, shown: [{ serviceid: "3202", catalogue: "9.99", instance: "8.49" }] },
    });
    expect((await runInProcess(["status", "--wide"], { env })).stdout).toMatch(
      /catalogue mismatches in the latest run \(their groups priced one by one\) \(1\):\n[^\n]*SERVICEID[\s\S]*3202 +9\.99 +8\.49\n/,
    );
    rt = rc;
  });

  it("an event sync makes exactly one call with a warm catalogue, and two once its group's plan is stale", async () => {
    // Run alone (`-t NAME`), the fleet the tests before it priced is missing: one VPS of the group stands in.
    const [fleet] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM vps_instances`);
    if (fleet!.n === 0) {
      h.sim.catalogue.setInstance({ serviceid: 3300, rid: "11", billingcycle: "quarterly" });
      await insertVps(h, { serviceid: 3300 });
      await settle(h, rt);
    }
    await reconcile(); // warms the catalogue and learns every group's plan
    h.sim.catalogue.setInstance({ serviceid: 3301, rid: "11", billingcycle: "quarterly" });
    const before = catalogueFetches();
    const { vpsId } = await insertVps(h, { serviceid: 3301 });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("3.33"), {
      timeout: 10_000,
    });
    expect(requestsFor(3301).map((q) => q.action)).toEqual(["get_instance"]);
    expect(catalogueFetches()).toBe(before);

    // Age every learned plan past HOSTWINDS_PLAN_MAX_AGE_SECONDS.
    const map = `${h.prefix}:hostwinds:plan-map`;
    for (const [key, json] of Object.entries(await redis.hgetall(map))) {
      const plan = JSON.parse(json) as { learnedAt: number };
      await redis.hset(
        map,
        key,
        JSON.stringify({ ...plan, learnedAt: plan.learnedAt - rt.cfg.HOSTWINDS_PLAN_MAX_AGE_SECONDS * 1000 - 1 }),
      );
    }
    h.sim.requests.length = 0;
    await h.finished(await rt.producer.enqueueVpsCostSync(vpsId, { reason: "stale plan", dedupe: false }));
    expect(requestsFor(3301).map((q) => q.action)).toEqual(["get_instance", "get_price_list"]);
  });

  it("picks up a new price at Hostwinds in the next reconciliation, however fresh the shared copy", async () => {
    h.sim.catalogue.setInstance({ serviceid: 3401, rid: "12", billingcycle: "monthly" });
    const { vpsId } = await insertVps(h, { serviceid: 3401 });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("39.99"), {
      timeout: 10_000,
    });
    const plan = h.sim.catalogue.plans.get("12");
    if (!plan) throw new Error("plan 12 missing");
    h.sim.catalogue.setPlan({ ...plan, prices: { ...plan.prices, monthly: "42.00" } });
    try {
      await reconcile();
      expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("42.00");
    } finally {
      h.sim.catalogue.setPlan(plan);
    }
  });

  it("two workers share one copy of the catalogue", async () => {
    await reconcile(); // every group's plan learned
    const second = await h.start();
    try {
      await redis.del(`${h.prefix}:hostwinds:catalogue`);
      const before = catalogueFetches();
      const ids = [];
      for (let i = 0; i < 8; i++) {
        h.sim.catalogue.setInstance({ serviceid: 3500 + i, rid: "10", billingcycle: "monthly" });
        ids.push((await insertVps(h, { serviceid: 3500 + i })).vpsId);
      }
      await settle(h, rt);
      for (const id of ids) expect((await costOf(h, "vps_instances", id)).cost).toBe("9.99");
      expect(catalogueFetches() - before).toBe(1);
    } finally {
      await second.close();
    }
  });
});
