import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setOverride } from "../src/db/writes/overrides.js";
import { setIpConstant } from "../src/db/writes/settings.js";
import type { Runtime } from "../src/runtime.js";
import { costOf, Harness, insertVps, settle } from "./support/harness.js";

// Races are the normal case: Finance, syncs, reconciliations and the application move the same
// rows at once. Each test holds one writer on a slow Hostwinds answer while another moves a fact
// its decision rested on, and checks that the slow writer does not write over the change.

const h = new Harness();
let rt: Runtime;
let nextSid = 7000;
const instance = (rid = "10") => {
  const serviceid = nextSid++;
  h.sim.catalogue.setInstance({ serviceid, rid, billingcycle: "monthly" });
  return serviceid;
};
/** An instance Hostwinds lists without a product id: a reconciliation prices it with a call of its own, mid-chunk. */
const ungrouped = (rid = "11") => {
  const serviceid = nextSid++;
  h.sim.catalogue.setInstance({ serviceid, rid, billingcycle: "monthly", productId: null });
  return serviceid;
};
const priced = async (vpsId: string, cost: string) =>
  vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe(cost), { timeout: 10_000 });
/** Waits until the simulator has received `action` for `sid` (the slow one is then in flight). */
const inFlight = (sid: number, action = "get_price_list") =>
  vi.waitFor(() => expect(h.sim.requestsFor(action).some((r) => r.params.serviceid === String(sid))).toBe(true), {
    timeout: 10_000,
    interval: 10,
  });
const vpsHistory = (id: string) =>
  h.sql<{ old: string | null; new: string; reason: string }>(
    `SELECT old_value::text AS old, new_value::text AS new, reason FROM cost_history WHERE resource_id = $1 ORDER BY id`,
    [id],
  );

beforeAll(async () => {
  await h.setup();
  rt = await h.start();
});
afterAll(() => h.teardown());
beforeEach(async () => {
  h.sim.faults.clear();
  h.sim.latencyMs = 0;
  await settle(h, rt);
});

describe("a reconciliation never writes a value older than a change made during it", () => {
  it("does not bring back an override Finance cleared while the run priced its chunk", async () => {
    const slow = ungrouped();
    const sid = instance("10");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await insertVps(h, { serviceid: slow });
    await priced(vpsId, "9.99");
    await setOverride(rt.db, { kind: "vps", id: vpsId, cents: 777n, write: { jobId: "test", reason: "contract" } });
    await settle(h, rt);
    h.sim.requests.length = 0;
    h.sim.inject({ type: "latency", ms: 1000 }, { action: "get_price_list", serviceid: slow, times: 1 });
    const run = await rt.producer.enqueueReconciliation({ trigger: "manual" });
    await inFlight(slow);
    // What `override vps <id> --clear` does: clear, then enqueue the VPS's sync.
    await setOverride(rt.db, {
      kind: "vps",
      id: vpsId,
      cents: null,
      write: { jobId: "test", reason: "contract ended" },
    });
    await rt.producer.enqueueVpsCostSync(vpsId, { reason: "override cleared" });
    await h.finished(run);
    await settle(h, rt);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({
      cost: "9.99",
      override: null,
      source: "get_price_list rid 10 monthly",
    });
    expect((await vpsHistory(vpsId)).map((r) => [r.old, r.new])).toEqual([
      ["0.00", "9.99"],
      ["9.99", "7.77"],
      ["7.77", "9.99"],
    ]);
  });

  it("does not price a VPS decommissioned while the run priced its chunk", async () => {
    const slow = ungrouped();
    const sid = instance("10");
    const { vpsId, ipIds } = await insertVps(h, { serviceid: sid, ips: 1 });
    await insertVps(h, { serviceid: slow });
    await priced(vpsId, "9.99");
    await settle(h, rt);
    h.sim.requests.length = 0;
    h.sim.inject({ type: "latency", ms: 1000 }, { action: "get_price_list", serviceid: slow, times: 1 });
    const run = await rt.producer.enqueueReconciliation({ trigger: "manual" });
    await inFlight(slow);
    await h.sql(`UPDATE vps_instances SET status = 'decommissioned' WHERE id = $1`, [vpsId]);
    await h.finished(run);
    await settle(h, rt);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ cost: "0.00", source: "vps decommissioned" });
    expect((await costOf(h, "smtp_ip_addresses", ipIds[0] ?? "")).cost).toBe("0.00");
  });
});

describe("a sync never writes over a change made while it priced", () => {
  it("does not write a price over a VPS decommissioned meanwhile", async () => {
    const sid = instance("10");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await priced(vpsId, "9.99");
    await settle(h, rt);
    h.sim.requests.length = 0;
    h.sim.inject({ type: "latency", ms: 1000 }, { action: "get_instance", serviceid: sid, times: 1 });
    const manual = await rt.producer.enqueueVpsCostSync(vpsId, { reason: "manual re-sync", dedupe: false });
    await inFlight(sid, "get_instance");
    await h.sql(`UPDATE vps_instances SET status = 'decommissioned' WHERE id = $1`, [vpsId]);
    await priced(vpsId, "0.00");
    expect(await h.finished(manual)).toMatchObject({ outcome: "skipped" });
    await settle(h, rt);
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ cost: "0.00", source: "vps decommissioned" });
  });

  it("does not write a price over an override set meanwhile", async () => {
    const sid = instance("11");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await priced(vpsId, "19.99");
    await settle(h, rt);
    h.sim.requests.length = 0;
    h.sim.inject({ type: "latency", ms: 1000 }, { action: "get_instance", serviceid: sid, times: 1 });
    h.sim.catalogue.setInstance({ serviceid: sid, rid: "10", billingcycle: "monthly" }); // a price the sync would write
    const manual = await rt.producer.enqueueVpsCostSync(vpsId, { reason: "manual re-sync", dedupe: false });
    await inFlight(sid, "get_instance");
    await setOverride(rt.db, { kind: "vps", id: vpsId, cents: 1500n, write: { jobId: "test", reason: "contract" } });
    expect(await h.finished(manual)).toMatchObject({ outcome: "skipped" });
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({
      cost: "15.00",
      override: "15.00",
      source: "override",
    });
  });
});

describe("a reconciliation and a new IP constant", () => {
  // Its own world: small chunks, so that the run spans Finance's change.
  const hc = new Harness();
  let rc: Runtime;
  beforeAll(async () => {
    await hc.setup({ RECONCILE_CHUNK_SIZE: "2" });
    rc = await hc.start();
  });
  afterAll(() => hc.teardown());

  it("does not put back the old constant over IPs Finance's change already repriced", async () => {
    const ips: string[] = [];
    for (let i = 0; i < 6; i++) {
      const serviceid = 7500 + i;
      hc.sim.catalogue.setInstance({ serviceid, rid: "10", billingcycle: "monthly", productId: null });
      ips.push(...(await insertVps(hc, { serviceid, ips: 1 })).ipIds);
    }
    await settle(hc, rc);
    hc.sim.latencyMs = 300; // each chunk waits on Hostwinds: the run spans the change below
    const run = await rc.producer.enqueueReconciliation({ trigger: "manual" });
    await vi.waitFor(
      async () =>
        expect(
          await hc.sql(`SELECT 1 FROM cost_reconciliation_runs WHERE status = 'running' AND vps_checked >= 2`),
        ).toHaveLength(1),
      { timeout: 20_000, interval: 20 },
    );
    // What `config set smtp-ip-cost 5.25` does: the new constant, then the repricing of every IP.
    await setIpConstant(rc.db, 525n, "test");
    await rc.producer.enqueueIpConstantChanged({ reason: "IP constant 4.99 -> 5.25" });
    await hc.finished(run, 60_000);
    hc.sim.latencyMs = 0;
    await settle(hc, rc);
    expect(
      await hc.sql(`SELECT id FROM smtp_ip_addresses WHERE id = ANY($1::uuid[]) AND approximate_cost <> 5.25`, [ips]),
    ).toEqual([]);
    const back = await hc.sql(`SELECT 1 FROM cost_history WHERE old_value = 5.25 AND new_value = 4.99`);
    expect(back).toEqual([]);
    const [runRow] = await hc.sql<{ ip_skipped: number }>(`SELECT ip_skipped FROM cost_reconciliation_runs`);
    expect(runRow?.ip_skipped).toBeGreaterThan(0);
  });
});
