import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { Harness, insertVps, settle } from "./support/harness.js";

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
    expect(priceListCallsFor(5003)).toBe(0);
    expect(priceListCallsFor(5004)).toBe(1); // its plan, learned from it
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
    expect(await untrackedOf(r.runId)).toEqual([
      expect.objectContaining({ serviceid: "5102", monthly_cost: null, unpriced_reason: expect.any(String) }),
    ]);
    expect((await untrackedOf(r.runId))[0]?.unpriced_reason).toMatch(/invalid serviceid/);
    expect(await runFigures(r.runId)).toEqual({
      untracked_instances: 1,
      untracked_unpriced: 1,
      untracked_monthly_cost: "0.00",
      ghost_rows: 0,
    });
    expect(priceListCallsFor(5102)).toBe(1);
  });
});
