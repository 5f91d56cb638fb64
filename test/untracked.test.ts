import { describe, expect, it } from "vitest";
import { insertVps } from "./support/harness.js";
import { untrackedWorld } from "./support/untracked-world.js";

// Untracked spend and ghost rows (docs/untracked.md): each reconciliation compares get_instances
// with the VPS rows, against the real database and the simulator. What the operator sees:
// untracked-cli.test.ts; the writes' re-checks: untracked-writes.test.ts.

const { h, reconcile, untrackedOf, ghostsOf, runFigures, priceListCallsFor } = untrackedWorld();

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
