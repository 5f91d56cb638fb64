import { describe, expect, it } from "vitest";
import type { InstanceList } from "../src/hostwinds/instance-list.js";
import { rejectedByServiceId } from "../src/hostwinds/instance-list.js";
import { reconcileJob } from "../src/jobs/reconcile.job.js";
import { checkFleet, hasEnded } from "../src/jobs/reconcile/fleet-check.js";
import { fakeJob, fakeWorld, silentLog } from "./support/fake-context.js";

// Untracked instances and ghost rows (docs/untracked.md): the decisions, without I/O, and the
// reconciliation's use of them on in-memory fakes. Against the real services: untracked.test.ts.

const listedAt = new Date("2026-11-26T12:00:00Z");
const instance = (serviceid: number, status?: string) => ({
  serviceid,
  billingcycle: "monthly" as const,
  ...(status === undefined ? {} : { status }),
});
const check = (listed: InstanceList, referenced: string[]) =>
  checkFleet({ listed, rejected: rejectedByServiceId(listed.rejected), referenced: new Set(referenced), listedAt });

describe("what counts as spend", () => {
  it("is every status but the ended ones, whatever their case; an unknown or missing status counts", () => {
    for (const s of ["Cancelled", "terminated", " TERMINATED ", "Fraud", "Completed"])
      expect(hasEnded(s), s).toBe(true);
    for (const s of ["Active", "Suspended", "Pending", "Provisioning", "", undefined]) expect(hasEnded(s)).toBe(false);
  });
});

describe("comparing the listing with the rows", () => {
  it("finds the live instances no row names, and keeps the ended ones for the ghost check", () => {
    const listed = {
      instances: [instance(1), instance(2, "Suspended"), instance(3, "Terminated"), instance(4, "Whatever")],
      rejected: [],
    };
    const c = check(listed, ["1", "3"]);
    expect(c.untracked.map((i) => i.serviceid)).toEqual([2, 4]);
    expect(c.ghosts).toEqual({
      checked: true,
      listedAt,
      live: ["1", "2", "4"],
      ended: [{ serviceid: "3", status: "Terminated" }],
    });
    expect(c.notChecked).toBeUndefined();
  });

  it("counts an unreadable element as listed: no ghost for its row, untracked and unpriced when no row names it", () => {
    const listed = {
      instances: [instance(1)],
      rejected: [
        { index: 1, serviceid: "2", reason: 'billingcycle "Weekly" is not a Hostwinds cycle' },
        { index: 2, serviceid: "3", reason: "no cycle" },
      ],
    };
    const c = check(listed, ["1", "2"]);
    expect(c.ghosts.live).toEqual(["1", "2", "3"]);
    expect(c.unreadable).toEqual([{ serviceid: "3", reason: "get_instances element 2 (serviceid 3): no cycle" }]);
    expect(c.ghosts.checked).toBe(true);
  });

  it("cannot check ghosts when an element names no readable serviceid, nor when the account lists nothing beside rows", () => {
    const anonymous = check({ instances: [instance(1)], rejected: [{ index: 1, reason: "not an object" }] }, ["1"]);
    expect(anonymous.ghosts.checked).toBe(false);
    expect(anonymous.notChecked).toMatch(/1 element\(s\) of get_instances named no readable serviceid/);
    const odd = check({ instances: [], rejected: [{ index: 0, serviceid: "abc", reason: "not a number" }] }, []);
    expect(odd.ghosts.checked).toBe(false);
    const empty = check({ instances: [], rejected: [] }, ["7"]);
    expect(empty.notChecked).toBe("get_instances listed no instance while VPS rows name some");
    expect(check({ instances: [], rejected: [] }, []).ghosts.checked).toBe(true);
  });
});

describe("the reconciliation", () => {
  const world = () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(1, { rid: "10", billingcycle: "monthly" });
    w.store.addVps({ id: "v1", serviceId: "1" });
    w.store.addVps({ id: "v2", serviceId: "404" }); // a ghost
    // Untracked: on the plan v1 is on (no call), and ungroupable (its own price list: one call).
    w.hostwinds.instances.set(8, { rid: "10", billingcycle: "annually" });
    w.hostwinds.instances.set(9, { rid: "11", billingcycle: "monthly", productId: null });
    return w;
  };

  it("records untracked spend and ghosts in the run, and a retry prices no untracked instance twice", async () => {
    const w = world();
    const summarise = w.ctx.repos.untracked.summarise;
    let failures = 1;
    w.ctx.repos.untracked.summarise = (runId, listed) =>
      failures-- > 0 ? Promise.reject(new Error("Connection terminated unexpectedly")) : summarise(runId, listed);
    const job = fakeJob();
    await expect(reconcileJob.handle(w.ctx, { trigger: "manual" }, job, silentLog)).rejects.toThrow(/terminated/);
    expect(w.hostwinds.calls.filter((c) => c.serviceid === 9)).toHaveLength(1);
    w.hostwinds.calls.length = 0;

    const r = await reconcileJob.handle(w.ctx, { trigger: "manual" }, { ...job, attemptsMade: 1 }, silentLog);
    expect(w.hostwinds.calls.filter((c) => c.serviceid !== undefined)).toEqual([]);
    expect(r).toMatchObject({
      untracked: { instances: 2, unpriced: 0, monthlyUsd: "29.98", ghostRows: 1, calls: 0 },
    });
    const [run] = [...w.store.runs.values()];
    expect([...(w.store.untracked.instances.get(run?.id ?? "")?.values() ?? [])]).toEqual([
      expect.objectContaining({ serviceid: "8", monthlyCost: "9.99" }),
      expect.objectContaining({ serviceid: "9", monthlyCost: "19.99" }),
    ]);
    expect(run).toMatchObject({ status: "completed", callsFallback: 1 });
  });
});
