import { describe, expect, it } from "vitest";
import { hostwindsError } from "../src/hostwinds/errors.js";
import { reconcileJob } from "../src/jobs/reconcile.job.js";
import { createLogger } from "../src/logger.js";
import { fakeJob, fakeWorld, silentLog } from "./support/fake-context.js";
import { captureLogs } from "./support/log-capture.js";

// The reconciliation facing what Hostwinds really sends, on in-memory fakes: elements of
// get_instances it cannot read, and a refused key.

/** `grouped: false` lists the instances without a product id, so each is priced on its own. */
function fleet({ grouped = true } = {}) {
  const w = fakeWorld({ RECONCILE_CHUNK_SIZE: "4" });
  for (const [id, sid, rid] of [
    ["v1", 5001, "10"],
    ["v2", 5002, "11"],
    ["v3", 5003, "10"],
    ["v4", 5004, "11"],
    ["v5", 5005, "10"],
  ] as const) {
    w.hostwinds.instances.set(sid, { rid, billingcycle: "monthly", ...(grouped ? {} : { productId: null }) });
    w.store.addVps({ id, serviceId: String(sid), costCents: 111n });
  }
  w.store.addVps({ id: "v6", serviceId: "5006", costCents: 4242n });
  w.store.addVps({ id: "v7", serviceId: "5007", costCents: 0n, unpricedReason: "an older reason" });
  return w;
}

describe("elements of get_instances the client rejected", () => {
  it("make their VPS unpriced with the reason, are counted in the log and the result, and the rest is priced", async () => {
    const w = fleet();
    w.hostwinds.rejected.push(
      { index: 17, serviceid: "5006", reason: 'billingcycle "Weekly" is not a Hostwinds cycle' },
      { index: 18, serviceid: "abc", reason: 'serviceid "abc" is not a positive whole number' },
    );
    const logs = captureLogs("info");
    const r = await reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), logs.logger);
    expect(r).toMatchObject({ outcome: "completed", rejectedInstances: 2 });
    expect(w.store.vps.get("v6")).toMatchObject({
      costCents: 4242n,
      unpricedReason: 'get_instances element 17 (serviceid 5006): billingcycle "Weekly" is not a Hostwinds cycle',
    });
    expect(w.store.vps.get("v7")?.unpricedReason).toBe("serviceid 5007 not in get_instances");
    expect(["v1", "v2", "v3", "v4", "v5"].map((id) => w.store.vps.get(id)?.costCents)).toEqual([
      999n,
      1999n,
      999n,
      1999n,
      999n,
    ]);
    const warned = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.rejectedInstances);
    expect(warned).toMatchObject({ msg: "get_instances: elements rejected", rejectedInstances: 2 });
    expect(warned?.first).toEqual([
      'get_instances element 17 (serviceid 5006): billingcycle "Weekly" is not a Hostwinds cycle',
      'get_instances element 18 (serviceid abc): serviceid "abc" is not a positive whole number',
    ]);
  });
});

describe("a refused key stops the reconciliation and writes nothing about any VPS", () => {
  const refused = (action: string) =>
    hostwindsError({
      kind: "auth",
      action,
      what: 'not authorized ("Not Authorized!", HTTP 200). Hostwinds refused HOSTWINDS_API_KEY: …',
      secret: undefined,
    });
  const snapshot = (w: ReturnType<typeof fleet>) =>
    [...w.store.vps.values()].map((v) => ({ id: v.id, cost: v.costCents, reason: v.unpricedReason }));

  it("refused on get_instances: no VPS touched, the run failed with the reason", async () => {
    const w = fleet();
    const before = snapshot(w);
    w.hostwinds.failures.set("get_instances", refused("get_instances"));
    await expect(reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), silentLog)).rejects.toThrow(
      /HOSTWINDS_API_KEY/,
    );
    expect(snapshot(w)).toEqual(before);
    expect(w.store.history).toEqual([]);
    expect([...w.store.runs.values()][0]).toMatchObject({ status: "failed", cursor: null });
  });

  it("refused while learning a group's plan: the run fails before any chunk, and no further call is sent", async () => {
    const w = fleet();
    const before = snapshot(w);
    // Whichever member of the rid-11 group is picked to learn its plan is refused.
    for (const sid of [5002, 5004])
      w.hostwinds.failures.set(`get_price_list:${String(sid)}`, refused("get_price_list"));
    await expect(reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), createLogger("silent"))).rejects.toThrow(
      /HOSTWINDS_API_KEY/,
    );
    expect(snapshot(w)).toEqual(before);
    expect(w.store.history).toEqual([]);
    expect([...w.store.runs.values()][0]).toMatchObject({ status: "failed", cursor: null, vpsChecked: 0 });
    const last = w.hostwinds.calls.at(-1);
    expect(last?.action).toBe("get_price_list");
    expect([5002, 5004]).toContain(last?.serviceid);
  });

  it("refused on one VPS's price list: its chunk is not committed, and the chunk's remaining calls are not sent", async () => {
    const w = fleet({ grouped: false }); // no product ids: every VPS is priced on its own, in the walk
    w.ctx.reconcileConcurrency = 2;
    const before = snapshot(w);
    w.hostwinds.failures.set("get_price_list:5002", refused("get_price_list"));
    await expect(reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), createLogger("silent"))).rejects.toThrow(
      /HOSTWINDS_API_KEY/,
    );
    expect(snapshot(w)).toEqual(before); // nothing priced, nothing marked unpriced
    expect(w.store.history).toEqual([]);
    expect([...w.store.runs.values()][0]).toMatchObject({ status: "failed", cursor: null, vpsChecked: 0 });
    const asked = w.hostwinds.calls
      .filter((c) => c.action === "get_price_list" && c.serviceid !== undefined)
      .map((c) => c.serviceid);
    // 5001 priced, 5002 refused; 5003 and 5004 (the rest of the chunk) and the next chunk never asked.
    expect(asked).toEqual([5001, 5002]);
  });
});
