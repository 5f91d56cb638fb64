import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { Harness, settle } from "./harness.js";

/**
 * One test file's world for untracked spend and ghost rows (docs/untracked.md): a harness whose
 * account and fleet each test describes from scratch, and what the tests read back.
 */
export function untrackedWorld() {
  const h = new Harness();
  const w = { h, rt: undefined as unknown as Runtime };
  beforeAll(async () => {
    await h.setup({ HOSTWINDS_VERIFY_SAMPLE_PERCENT: "1" });
    w.rt = await h.start();
  });
  afterAll(async () => {
    await h.teardown();
  });
  beforeEach(async () => {
    h.sim.catalogue.instances.clear();
    h.sim.faults.clear();
    await h.sql(`DELETE FROM vps_instances`);
  });
  return {
    ...w,
    get rt() {
      return w.rt;
    },
    /** A reconciliation from a quiet queue; the simulator's request log starts with it. */
    reconcile: async () => {
      await settle(h, w.rt);
      h.sim.requests.length = 0;
      return h.finished<{ runId: string; untracked: Record<string, unknown> }>(
        await w.rt.producer.enqueueReconciliation({ trigger: "manual" }),
        60_000,
      );
    },
    untrackedOf: (runId: string) =>
      h.sql(
        `SELECT serviceid, hostname, main_ip, plan, status, monthly_cost::text, unpriced_reason
           FROM cost_untracked_instances WHERE run_id = $1 ORDER BY serviceid`,
        [runId],
      ),
    ghostsOf: (runId: string) =>
      h.sql(
        `SELECT vps_id::text, serviceid, hostwinds_status FROM cost_ghost_rows WHERE run_id = $1 ORDER BY serviceid`,
        [runId],
      ),
    runFigures: async (runId: string) =>
      (
        await h.sql(
          `SELECT untracked_instances, untracked_unpriced, untracked_monthly_cost::text, ghost_rows
             FROM cost_reconciliation_runs WHERE id = $1`,
          [runId],
        )
      )[0],
    priceListCallsFor: (sid: number) =>
      h.sim.requests.filter((r) => r.action === "get_price_list" && r.params.serviceid === String(sid)).length,
  };
}
