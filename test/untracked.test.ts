import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseClock, recordGhosts, recordUntracked, summariseUntracked } from "../src/db/untracked.js";
import { statusReader } from "../src/ops/status-reader.js";
import type { Runtime } from "../src/runtime.js";
import { runInProcess } from "./support/cli-streams.js";
import { API_KEY, Harness, insertVps, settle } from "./support/harness.js";

// Untracked spend and ghost rows (docs/untracked.md): each reconciliation compares get_instances
// with the VPS rows, against the real database and the simulator.

const h = new Harness();
let rt: Runtime;
beforeAll(async () => {
  await h.setup({ HOSTWINDS_VERIFY_SAMPLE_PERCENT: "1" });
  rt = await h.start();
});
afterAll(async () => {
  await h.teardown();
});
beforeEach(async () => {
  // Each test describes the whole account and the whole fleet.
  h.sim.catalogue.instances.clear();
  h.sim.faults.clear();
  await h.sql(`DELETE FROM vps_instances`);
});

const reconcile = async () => {
  await settle(h, rt);
  h.sim.requests.length = 0;
  return h.finished<{ runId: string; untracked: Record<string, unknown> }>(
    await rt.producer.enqueueReconciliation({ trigger: "manual" }),
    60_000,
  );
};
const untrackedOf = (runId: string) =>
  h.sql(
    `SELECT serviceid, hostname, main_ip, plan, status, monthly_cost::text, unpriced_reason
       FROM cost_untracked_instances WHERE run_id = $1 ORDER BY serviceid`,
    [runId],
  );
const ghostsOf = (runId: string) =>
  h.sql(`SELECT vps_id::text, serviceid, hostwinds_status FROM cost_ghost_rows WHERE run_id = $1 ORDER BY serviceid`, [
    runId,
  ]);
const runFigures = async (runId: string) =>
  (
    await h.sql(
      `SELECT untracked_instances, untracked_unpriced, untracked_monthly_cost::text, ghost_rows
         FROM cost_reconciliation_runs WHERE id = $1`,
      [runId],
    )
  )[0];
const priceListCallsFor = (sid: number) =>
  h.sim.requests.filter((r) => r.action === "get_price_list" && r.params.serviceid === String(sid)).length;

describe("untracked instances", () => {
  it("records the instances no row names, priced within the budget, and the rows Hostwinds does not list", async () => {
    const sim = h.sim.catalogue;
    sim.setInstance({ serviceid: 5001, rid: "10", billingcycle: "monthly" });
    sim.setInstance({ serviceid: 5002, rid: "11", billingcycle: "quarterly" });
    // Untracked: on a plan the run prices from the catalogue anyway (no call of its own) ...
    sim.setInstance({ serviceid: 5003, rid: "10", billingcycle: "annually", hostname: "stray.example.net" });
    // ... and on a plan no row uses (learned like any other group), suspended but still billed.
    sim.setInstance({ serviceid: 5004, rid: "12", billingcycle: "monthly", status: "Suspended" });
    // Ended: no longer spend, so not untracked; the row that still models it is a ghost.
    sim.setInstance({ serviceid: 5005, rid: "10", billingcycle: "monthly", status: "Terminated" });
    sim.setInstance({ serviceid: 5006, rid: "10", billingcycle: "monthly", status: "Cancelled" });
    await insertVps(h, { serviceid: 5001 });
    await insertVps(h, { serviceid: "05002" }); // leading zeros name the same instance
    const terminated = await insertVps(h, { serviceid: 5005 });
    const missing = await insertVps(h, { serviceid: 5999 });
    await insertVps(h, { serviceid: 5998, status: "decommissioned" }); // gone, and known to be: no ghost

    const r = await reconcile();
    expect(await untrackedOf(r.runId)).toEqual([
      {
        serviceid: "5003",
        hostname: "stray.example.net",
        main_ip: "198.51.100.3",
        plan: "Unmanaged Linux 1 CPU / 2 GB",
        status: "Active",
        monthly_cost: "9.99",
        unpriced_reason: null,
      },
      {
        serviceid: "5004",
        hostname: "sim-5004.example.net",
        main_ip: "198.51.100.4",
        plan: "Unmanaged Linux 4 CPU / 8 GB",
        status: "Suspended",
        monthly_cost: "39.99",
        unpriced_reason: null,
      },
    ]);
    // One call for 5003's plan, which the rows of 5001 and 5005 share (the learner is one of them, at random) ...
    expect([5001, 5003, 5005].map(priceListCallsFor).reduce((a, b) => a + b)).toBe(1);
    expect(priceListCallsFor(5004)).toBe(1); // ... and one for the plan only 5004 is on, learned from it
    expect(await ghostsOf(r.runId)).toEqual([
      { vps_id: terminated.vpsId, serviceid: "5005", hostwinds_status: "Terminated" },
      { vps_id: missing.vpsId, serviceid: "5999", hostwinds_status: null },
    ]);
    const figures = { untracked_instances: 2, untracked_unpriced: 0, untracked_monthly_cost: "49.98", ghost_rows: 2 };
    expect(await runFigures(r.runId)).toEqual(figures);
    expect(r.untracked).toMatchObject({ instances: 2, unpriced: 0, monthlyUsd: "49.98", ghostRows: 2 });
    // The one fleet-level line the executive figures read; no tenant anywhere.
    expect(await h.sql(`SELECT * FROM cost_untracked_latest`)).toEqual([
      expect.objectContaining({ run_id: r.runId, ...figures, untracked_monthly_cost: "49.98" }),
    ]);
  });

  it("records an instance whose price cannot be read with the reason, never as a zero", async () => {
    const sim = h.sim.catalogue;
    sim.setInstance({ serviceid: 5101, rid: "10", billingcycle: "monthly" });
    // No product id: it cannot be grouped, so it is asked for its own price list, which fails for it alone.
    sim.setInstance({ serviceid: 5102, rid: "11", billingcycle: "monthly", productId: null });
    h.sim.inject({ type: "error-array", message: "invalid serviceid" }, { action: "get_price_list", serviceid: 5102 });
    await insertVps(h, { serviceid: 5101 });

    const r = await reconcile();
    const [row, ...others] = await untrackedOf(r.runId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ serviceid: "5102", monthly_cost: null });
    expect(row?.unpriced_reason).toMatch(/invalid serviceid/);
    expect(await runFigures(r.runId)).toEqual({
      untracked_instances: 1,
      untracked_unpriced: 1,
      untracked_monthly_cost: "0.00",
      ghost_rows: 0,
    });
    expect(priceListCallsFor(5102)).toBe(1);
  });
});

/** The get_instances answer `elements` in place of the simulator's, for the next listing only. */
const listOnce = (elements: unknown[]) =>
  h.sim.inject({ type: "body", json: JSON.stringify({ success: elements }) }, { action: "get_instances", times: 1 });
const plan10 = { product_id: "10", ram: "2", cpu: "1", disk: "50", bandwidth: "2", status: "Active" };

describe("the budget", () => {
  it("grows with the plans of the untracked instances, not with their number", async () => {
    // 300 instances no row names, on three plans and several cycles: each plan learned from one of them.
    h.sim.catalogue.addGenerated(300, 6001);
    const r = await reconcile();
    const [run] = await h.sql(
      `SELECT calls_learn, calls_verify, calls_fallback, untracked_instances, untracked_unpriced
         FROM cost_reconciliation_runs WHERE id = $1`,
      [r.runId],
    );
    expect(run).toEqual({
      calls_learn: 3,
      calls_verify: 0, // 1 % of 100 members is the learner itself
      calls_fallback: 0,
      untracked_instances: 300,
      untracked_unpriced: 0,
    });
    expect(h.sim.requests.filter((q) => q.params.serviceid !== undefined)).toHaveLength(3);
  });
});

describe("a listing that cannot prove a row a ghost", () => {
  it("records ghost rows as not checked (NULL), not every row a ghost, while untracked instances are still found", async () => {
    h.sim.catalogue.setInstance({ serviceid: 5201, rid: "10", billingcycle: "monthly" });
    await insertVps(h, { serviceid: 5201 });
    await insertVps(h, { serviceid: 5202 }); // an element naming it was rejected: Hostwinds lists it
    await insertVps(h, { serviceid: 5299 }); // not listed
    listOnce([
      { serviceid: 5201, billingcycle: "monthly", ...plan10 },
      { serviceid: 5202, billingcycle: "Weekly" },
      { serviceid: 5203, billingcycle: "Weekly" }, // no row names it: untracked, its price unreadable
      { billingcycle: "monthly", hostname: "no-serviceid.example.net" }, // could be any row's instance
    ]);
    const partial = await reconcile();
    expect(await runFigures(partial.runId)).toEqual({
      untracked_instances: 1,
      untracked_unpriced: 1,
      untracked_monthly_cost: "0.00",
      ghost_rows: null,
    });
    expect(await ghostsOf(partial.runId)).toEqual([]);
    const [unreadable] = await untrackedOf(partial.runId);
    expect(unreadable).toMatchObject({ serviceid: "5203", monthly_cost: null });
    expect(unreadable?.unpriced_reason).toMatch(/Weekly/);

    // The same fleet, listed completely: both rows the listing does not name are ghosts.
    const complete = await reconcile();
    expect(await runFigures(complete.runId)).toMatchObject({ untracked_instances: 0, ghost_rows: 2 });
    expect((await ghostsOf(complete.runId)).map((g) => g.serviceid)).toEqual(["5202", "5299"]);
  });
});

describe("a write re-checks in its own statement the facts its decision rested on", () => {
  const openRun = async (jobId: string) =>
    (
      await h.sql<{ id: string }>(
        `INSERT INTO cost_reconciliation_runs (job_id, trigger) VALUES ($1, 'manual') RETURNING id::text`,
        [jobId],
      )
    )[0]!.id;
  const item = (serviceid: string) => ({
    serviceid,
    hostname: null,
    mainIp: null,
    plan: null,
    status: "Active",
    monthlyCost: "9.99",
    unpricedReason: null,
  });

  it("an instance a row names by the time it is recorded, or counted, is not reported untracked", async () => {
    const runId = await openRun("race-untracked");
    const listed = ["5301", "5302", "5303"];
    await insertVps(h, { serviceid: "0005301" }); // created after the listing, before the recording
    expect(await recordUntracked(rt.db, runId, listed.map(item))).toBe(2);
    await insertVps(h, { serviceid: 5302 }); // created after the recording, before the count
    const figures = { instances: 1, unpriced: 0, monthlyUsd: "9.99" };
    expect(await summariseUntracked(rt.db, runId, listed)).toEqual(figures);
    // A resumed run records and counts again: nothing doubles.
    await recordUntracked(rt.db, runId, [item("5303")]);
    expect(await summariseUntracked(rt.db, runId, listed)).toEqual(figures);
    const rows = await h.sql(`SELECT serviceid FROM cost_untracked_instances WHERE run_id = $1`, [runId]);
    expect(rows).toEqual([{ serviceid: "5303" }]);
  });

  it("judges as a ghost only a row that has not changed since the listing", async () => {
    const runId = await openRun("race-ghosts");
    const before = await insertVps(h, { serviceid: 5401 });
    const moved = await insertVps(h, { serviceid: 5402 });
    const listedAt = await databaseClock(rt.db);
    await insertVps(h, { serviceid: 5403 }); // its instance was created after the listing
    await h.sql(`UPDATE vps_instances SET hostwinds_instance_id = '5404' WHERE id = $1`, [moved.vpsId]);
    const check = { runId, listedAt, live: [], ended: [] };
    expect(await recordGhosts(rt.db, { ...check, checked: true })).toBe(1);
    expect(await ghostsOf(runId)).toEqual([{ vps_id: before.vpsId, serviceid: "5401", hostwinds_status: null }]);
    // A resumed run whose listing turned out incomplete replaces them with "not checked".
    expect(await recordGhosts(rt.db, { ...check, checked: false })).toBeNull();
    expect(await ghostsOf(runId)).toEqual([]);
  });
});

describe("what the operator sees", () => {
  it("status, report untracked and the gauges show the latest run that checked, fleet-level", async () => {
    const env = {
      DATABASE_URL: h.db.url,
      QUEUE_PREFIX: h.prefix,
      HOSTWINDS_API_URL: h.sim.url,
      HOSTWINDS_API_KEY: API_KEY,
    };
    h.sim.catalogue.setInstance({ serviceid: 5501, rid: "10", billingcycle: "monthly" });
    h.sim.catalogue.setInstance({
      serviceid: 5502,
      rid: "11",
      billingcycle: "monthly",
      hostname: "old-mx.example.net",
    });
    await insertVps(h, { serviceid: 5501, tenantId: "7d1c4d1e-4a5b-4a43-9d55-2f0b7d1b2a10" });
    const ghost = await insertVps(h, { serviceid: 5599 });
    const r = await reconcile();

    const status = JSON.parse((await runInProcess(["status", "--json"], { env })).stdout) as Record<string, unknown>;
    expect(status.untracked).toMatchObject({
      runId: r.runId,
      instances: 1,
      unpriced: 0,
      monthlyUsd: "19.99",
      ghostRows: 1,
      list: { total: 1, shown: [{ serviceid: "5502", hostname: "old-mx.example.net", monthlyCost: "19.99" }] },
      ghosts: { total: 1, shown: [{ vpsId: ghost.vpsId, serviceid: "5599", hostwindsStatus: "not listed" }] },
    });
    const text = (await runInProcess(["status", "--wide"], { env })).stdout;
    expect(text).toContain(`untracked at Hostwinds: 1 instance(s), 19.99 USD/month; fleet-level (run ${r.runId}`);
    expect(text).toContain("ghost rows (VPS rows Hostwinds does not list as live): 1 row(s)");
    expect(text).toMatch(/untracked instances \(no VPS row names them[^\n]*\(1\):\n[^\n]*serviceid[\s\S]*5502 +old-mx/);

    const csv = (await runInProcess(["report", "untracked", "--csv"], { env })).stdout.trim().split(/\r?\n/);
    expect(csv).toEqual([
      "kind,serviceid,vps_id,hostname,main_ip,plan,hostwinds_status,monthly_cost,unpriced_reason",
      "untracked,5502,,old-mx.example.net,198.51.100.2,Unmanaged Linux 2 CPU / 4 GB,Active,19.99,",
      `ghost,5599,${ghost.vpsId},,,,not listed,,`,
    ]);
    const json = JSON.parse((await runInProcess(["report", "untracked", "--json"], { env })).stdout) as unknown[];
    expect(json).toHaveLength(2);
    expect(JSON.stringify(json)).not.toMatch(/tenant/i);
    const table = (await runInProcess(["report", "untracked"], { env })).stdout;
    expect(table).toContain(`run ${r.runId} (`);
    expect(table).toContain("untracked 1 instance(s), 19.99 USD/month; ghost rows: 1 row(s).");

    const snapshot = await statusReader(rt.queue, rt.db)();
    expect(snapshot).toMatchObject({ untracked: { instances: 1, monthlyUsd: "19.99" }, ghostRows: 1 });

    // `reconcile --wait` ends its summary with the run's own figures.
    const waited = await runInProcess(["reconcile", "--wait"], { env });
    expect(waited.stdout).toContain(
      "untracked at Hostwinds: 1 instance(s), 19.99 USD/month; ghost rows: 1 row(s) (report untracked lists them)",
    );
  });
});
