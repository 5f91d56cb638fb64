import { describe, expect, it } from "vitest";
import { SystemConfigError } from "../src/db/writes/settings.js";
import { hostwindsError } from "../src/hostwinds/errors.js";
import { classify } from "../src/jobs/failure-policy.js";
import { reconcileJob } from "../src/jobs/reconcile.job.js";
import { repriceAllIpsJob, syncIpCostJob } from "../src/jobs/sync-ip-cost.job.js";
import { syncVpsCostJob } from "../src/jobs/sync-vps-cost.job.js";
import { fakeJob, fakeWorld, silentLog } from "./support/fake-context.js";

// The jobs' decisions on in-memory fakes (test/support/fake-*.ts): no Postgres, Redis or HTTP.
// The same behaviours against the real services are in jobs.test.ts.

const sync = (w: ReturnType<typeof fakeWorld>, vpsId: string, o: { targetRid?: string } = {}) =>
  syncVpsCostJob.handle(w.ctx, { vpsId, reason: "unit", ...o }, fakeJob(), silentLog);

describe("VPS sync decisions", () => {
  it("prices from the instance's plan and cycle, reprices its IPs, and asks for one views refresh", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "10", billingcycle: "quarterly" });
    w.store.addVps({ id: "v1", serviceId: "5001" });
    w.store.addIp({ id: "i1", vpsId: "v1" });
    const r = await sync(w, "v1");
    expect(r).toMatchObject({
      outcome: "priced",
      changed: 2,
      cost: "9.99",
      source: "get_price_list rid 10 quarterly / 3 months",
    });
    expect(w.store.vps.get("v1")).toMatchObject({ costCents: 999n, unpricedReason: null });
    expect(w.store.ips.get("i1")?.costCents).toBe(499n);
    expect(w.followUps.refreshes).toHaveLength(1);
  });

  it("writes an override without asking Hostwinds anything", async () => {
    const w = fakeWorld();
    w.store.addVps({ id: "v1", serviceId: "5001", overrideCents: 777n, costCents: 999n });
    expect(await sync(w, "v1")).toMatchObject({ outcome: "override", cost: "7.77" });
    expect(w.hostwinds.calls).toEqual([]);
    expect(w.store.history.map((h) => [h.oldCents, h.newCents, h.source])).toEqual([[999n, 777n, "override"]]);
  });

  it("zeroes a decommissioned VPS and its IPs without a call", async () => {
    const w = fakeWorld();
    w.store.addVps({ id: "v1", serviceId: "5001", status: "decommissioned", costCents: 999n });
    w.store.addIp({ id: "i1", vpsId: "v1", costCents: 499n });
    expect(await sync(w, "v1")).toMatchObject({ outcome: "decommissioned", cost: "0.00" });
    expect(w.store.ips.get("i1")).toMatchObject({ costCents: 0n, source: "vps decommissioned" });
    expect(w.hostwinds.calls).toEqual([]);
  });

  it("keeps the cost and records the reason when Hostwinds answers about this VPS alone", async () => {
    const w = fakeWorld();
    w.store.addVps({ id: "v1", serviceId: "9999", costCents: 999n });
    const r = await sync(w, "v1");
    expect(r).toMatchObject({ outcome: "unpriced", changed: 0 });
    expect(w.store.vps.get("v1")?.costCents).toBe(999n);
    expect(w.store.vps.get("v1")?.unpricedReason).toContain("invalid serviceid");
    expect(w.followUps.refreshes).toEqual([]);
  });

  it.each([
    [
      "an authorization failure",
      hostwindsError({ kind: "auth", action: "get_instance", what: "error: Not Authorized!", secret: undefined }),
    ],
    [
      "a timeout",
      hostwindsError({ kind: "timeout", action: "get_instance", what: "request timed out", secret: undefined }),
    ],
  ])("lets %s go up to the job layer, writing nothing", async (_name, error) => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "10", billingcycle: "monthly" });
    w.hostwinds.failures.set("get_instance", error);
    w.store.addVps({ id: "v1", serviceId: "5001", costCents: 999n });
    await expect(sync(w, "v1")).rejects.toBe(error);
    expect(w.store.vps.get("v1")).toMatchObject({ costCents: 999n, unpricedReason: null });
    expect(w.store.history).toEqual([]);
  });

  it("prices an upgrade at the target plan and reads the pending order", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "10", billingcycle: "quarterly", pendingTotal: "4.00" });
    w.store.addVps({ id: "v1", serviceId: "5001" });
    const r = await sync(w, "v1", { targetRid: "11" });
    expect(r).toMatchObject({ outcome: "priced", cost: "3.33", pendingUpgradeTotal: "4.00" });
    expect(w.hostwinds.calls.map((c) => c.action)).not.toContain("get_billingcycle_prices");
  });

  it("run twice, changes once", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "11", billingcycle: "monthly" });
    w.store.addVps({ id: "v1", serviceId: "5001" });
    await sync(w, "v1");
    expect(await sync(w, "v1")).toMatchObject({ outcome: "priced", changed: 0 });
    expect(w.store.history).toHaveLength(1);
  });

  it("skips a VPS that no longer exists", async () => {
    expect(await sync(fakeWorld(), "gone")).toMatchObject({ outcome: "skipped", changed: 0 });
  });
});

describe("IP jobs", () => {
  it("prices an IP by the constant, its override, or 0.00 with no VPS", async () => {
    const w = fakeWorld();
    w.store.addVps({ id: "v1" });
    w.store.addIp({ id: "a", vpsId: "v1" });
    w.store.addIp({ id: "b", vpsId: "v1", overrideCents: 150n });
    w.store.addIp({ id: "c" });
    for (const ipId of ["a", "b", "c"])
      await syncIpCostJob.handle(w.ctx, { ipId, reason: "unit" }, fakeJob(), silentLog);
    expect([...w.store.ips.values()].map((i) => i.costCents)).toEqual([499n, 150n, 0n]);
    expect(await syncIpCostJob.handle(w.ctx, { ipId: "zz", reason: "unit" }, fakeJob(), silentLog)).toMatchObject({
      outcome: "skipped",
    });
  });

  it("reprices every IP after a change of the constant, and refreshes the views once", async () => {
    const w = fakeWorld();
    w.store.addVps({ id: "v1" });
    for (const id of ["a", "b"]) w.store.addIp({ id, vpsId: "v1", costCents: 499n });
    w.store.ipConstantCents = 525n;
    const r = await repriceAllIpsJob.handle(w.ctx, { reason: "4.99 -> 5.25" }, fakeJob(), silentLog);
    expect(r).toMatchObject({ outcome: "repriced", changed: 2, checked: 2 });
    expect(w.followUps.refreshes).toEqual([{ reason: "ip constant changed", delayMs: 0 }]);
  });

  it("records who changed the constant on every IP it reprices, and nobody for a sync of its own", async () => {
    const w = fakeWorld();
    w.store.addVps({ id: "v1" });
    for (const id of ["a", "b"]) w.store.addIp({ id, vpsId: "v1", costCents: 499n });
    w.store.addIp({ id: "c", vpsId: "v1", costCents: 0n });
    w.store.ipConstantCents = 525n;
    await syncIpCostJob.handle(w.ctx, { ipId: "c", reason: "created" }, fakeJob(), silentLog);
    await repriceAllIpsJob.handle(w.ctx, { reason: "4.99 -> 5.25", changedBy: "finance-anna" }, fakeJob(), silentLog);
    expect(w.store.history.map((h) => [h.id, h.changedBy])).toEqual([
      ["c", null],
      ["a", "finance-anna"],
      ["b", "finance-anna"],
    ]);
  });
});

describe("reconciliation", () => {
  const fleet = () => {
    const w = fakeWorld();
    for (const [id, sid, rid] of [
      ["v1", 1, "10"],
      ["v2", 2, "11"],
      ["v3", 3, "10"],
      ["v4", 4, "11"],
    ] as const) {
      w.hostwinds.instances.set(sid, { rid, billingcycle: "monthly" });
      w.store.addVps({ id, serviceId: String(sid) });
      w.store.addIp({ id: `ip-${id}`, vpsId: id });
    }
    w.store.addVps({ id: "v5", serviceId: "404" });
    w.store.addIp({ id: "orphan" });
    return w;
  };

  it("prices the fleet from the catalogue, one learned and verified member per plan, and completes the run", async () => {
    const w = fleet();
    const job = fakeJob();
    const r = await reconcileJob.handle(w.ctx, { trigger: "manual" }, job, silentLog);
    expect(r.outcome).toBe("completed");
    expect(w.store.vps.get("v5")?.unpricedReason).toBe("serviceid 404 not in get_instances");
    expect([...w.store.vps.values()].map((v) => v.costCents)).toEqual([999n, 1999n, 999n, 1999n, 0n]);
    expect(w.store.ips.get("orphan")).toMatchObject({ costCents: 0n, source: "no vps" });
    const [run] = [...w.store.runs.values()];
    // Two plans, each learned from one member, whose own price is also the group's verification (1 % of
    // two members is one); no call per VPS.
    expect(run).toMatchObject({ status: "completed", vpsChecked: 5, vpsUnpriced: 1, ipChecked: 5 });
    expect(run).toMatchObject({ callsList: 2, callsLearn: 2, callsVerify: 0, callsFallback: 0 });
    expect(w.store.groups.get(run?.id ?? "")?.map((g) => g.mode)).toEqual(["catalogue", "catalogue"]);
    expect(job.progress).toHaveLength(3); // chunks of 2: v1-v2, v3-v4, v5
    expect(w.store.lastReconciliation?.runId).toBe(run?.id);
    expect(w.followUps.refreshes.map((f) => f.reason)).toEqual(["reconciliation completed"]);
    expect(w.plans.plans.size).toBe(2);
  });

  it("prices per instance a group whose sampled member disagrees with the catalogue, and records the mismatch", async () => {
    const w = fleet();
    w.ctx = { ...w.ctx, cfg: { ...w.ctx.cfg, HOSTWINDS_VERIFY_SAMPLE_PERCENT: 100 } };
    w.hostwinds.instances.set(4, { rid: "11", billingcycle: "monthly", quote: { monthly: "17.50" } });
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), silentLog);
    expect(w.store.vps.get("v4")?.costCents).toBe(1750n);
    expect(w.store.vps.get("v2")?.costCents).toBe(1999n);
    expect(w.store.mismatches).toEqual([
      expect.objectContaining({ serviceid: "4", catalogue: "19.99", instance: "17.50" }),
    ]);
    const [run] = [...w.store.runs.values()];
    expect(w.store.groups.get(run?.id ?? "")?.find((g) => g.rid === "11")).toMatchObject({ mode: "per-instance" });
  });

  it("a retry resumes after the last committed chunk, with the groups it planned, pricing nothing twice", async () => {
    const w = fleet();
    const job = fakeJob();
    w.store.beforeCommit = (n) => {
      if (n === 2) throw new Error("Connection terminated unexpectedly");
    };
    await expect(reconcileJob.handle(w.ctx, { trigger: "manual" }, job, silentLog)).rejects.toThrow(/terminated/);
    expect([...w.store.runs.values()][0]).toMatchObject({ status: "failed", cursor: "v2" });
    w.store.beforeCommit = () => undefined;
    w.hostwinds.calls.length = 0;
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, { ...job, attemptsMade: 1 }, silentLog);
    // get_instances and the catalogue again; no plan learned twice.
    expect(w.hostwinds.calls.filter((c) => c.serviceid !== undefined)).toEqual([]);
    expect([...w.store.runs.values()][0]).toMatchObject({ status: "completed", vpsChecked: 5 });
  });

  it("a completed run is not run again by its job", async () => {
    const w = fleet();
    const job = fakeJob();
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, job, silentLog);
    w.hostwinds.calls.length = 0;
    expect(await reconcileJob.handle(w.ctx, { trigger: "manual" }, job, silentLog)).toMatchObject({
      detail: "already completed",
    });
    expect(w.hostwinds.calls).toEqual([]);
  });

  it("reports changes beyond both thresholds as anomalies of the run", async () => {
    const w = fleet();
    w.store.vps.get("v2")!.costCents = 999n; // 9.99 -> 19.99: +100 %, +10.00
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), silentLog);
    expect(w.store.anomalies.map((a) => a.id)).toContain("v2");
    expect(w.events.map((e) => e.event)).toContain("cost_anomalies_found");
  });
});

describe("the failure policy", () => {
  it.each<[Error, string]>([
    [
      hostwindsError({
        kind: "rate_limited",
        action: "x",
        what: "rate limited",
        secret: undefined,
        details: { retryAfterMs: 3000 },
      }),
      "pause",
    ],
    [hostwindsError({ kind: "timeout", action: "x", what: "request timed out", secret: undefined }), "retry"],
    [hostwindsError({ kind: "connection", action: "x", what: "connection failed", secret: undefined }), "retry"],
    [hostwindsError({ kind: "server", action: "x", what: "server error", secret: undefined }), "retry"],
    [hostwindsError({ kind: "input", action: "x", what: "invalid serviceid", secret: undefined }), "unpriced"],
    [
      hostwindsError({ kind: "invalid_response", action: "x", what: "response failed validation", secret: undefined }),
      "unpriced",
    ],
    [hostwindsError({ kind: "auth", action: "x", what: "Not Authorized!", secret: undefined }), "fail"],
    [new SystemConfigError("broken constant"), "fail"],
    [new Error("Connection terminated unexpectedly"), "retry"],
  ])("classifies %s as %s", (err, action) => {
    expect(classify(err).action).toBe(action);
  });

  it("pauses for the server's Retry-After", () => {
    expect(
      classify(
        hostwindsError({
          kind: "rate_limited",
          action: "x",
          what: "rate limited",
          secret: undefined,
          details: { retryAfterMs: 3000 },
        }),
      ),
    ).toMatchObject({ pauseMs: 3000 });
  });
});

describe("a write re-checks the facts its decision rested on", () => {
  it("a sync does not write a price over a VPS decommissioned while it was priced", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "10", billingcycle: "monthly" });
    const vps = w.store.addVps({ id: "v1", serviceId: "5001" });
    w.hostwinds.onCall = (action) => {
      if (action === "get_price_list") Object.assign(vps, { status: "decommissioned", costCents: 0n });
    };
    expect(await sync(w, "v1")).toMatchObject({ outcome: "skipped" });
    expect(vps.costCents).toBe(0n);
    expect(w.store.history.filter((h) => h.kind === "vps")).toEqual([]);
  });

  it("a reconciliation does not bring back an override Finance cleared during the run", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(1, { rid: "10", billingcycle: "monthly" });
    w.hostwinds.instances.set(2, { rid: "11", billingcycle: "monthly" });
    const overridden = w.store.addVps({
      id: "v1",
      serviceId: "1",
      overrideCents: 777n,
      costCents: 777n,
      source: "override",
    });
    w.store.addVps({ id: "v2", serviceId: "2" });
    // The chunk decided v1 = its override; Finance clears it before the chunk commits.
    w.store.beforeCommit = () => {
      overridden.overrideCents = null;
    };
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), silentLog);
    expect(overridden).toMatchObject({ costCents: 777n, overrideCents: null });
    expect(w.store.history.filter((h) => h.id === "v1")).toEqual([]);
    expect([...w.store.runs.values()][0]).toMatchObject({ status: "completed", vpsSkipped: 1 });
  });

  it("a reconciliation does not put the old IP constant back after Finance changed it", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(1, { rid: "10", billingcycle: "monthly" });
    w.store.addVps({ id: "v1", serviceId: "1" });
    w.store.addIp({ id: "i1", vpsId: "v1", costCents: 525n });
    w.store.beforeCommit = () => {
      w.store.ipConstantCents = 525n; // after the run read 4.99
    };
    await reconcileJob.handle(w.ctx, { trigger: "manual" }, fakeJob(), silentLog);
    expect(w.store.ips.get("i1")?.costCents).toBe(525n);
    expect([...w.store.runs.values()][0]).toMatchObject({ ipSkipped: 1 });
  });
});

describe("shutdown during a reconciliation", () => {
  it("hands over at the next chunk boundary, and the next attempt resumes after it", async () => {
    const w = fakeWorld();
    for (let i = 1; i <= 6; i++) {
      w.hostwinds.instances.set(i, { rid: "10", billingcycle: "monthly" });
      w.store.addVps({ id: `v${String(i)}`, serviceId: String(i) });
    }
    const job = fakeJob();
    w.store.beforeCommit = (n) => {
      if (n === 1) w.stop.abort(); // while the first chunk commits
    };
    await expect(reconcileJob.handle(w.ctx, { trigger: "manual" }, job, silentLog)).rejects.toThrow(/shutting down/);
    const [run] = [...w.store.runs.values()];
    expect(run).toMatchObject({ status: "running", cursor: "v2" });
    expect(job.progress.at(-1)).toEqual({ checked: 2, total: 6, percent: 33, chunk: 1, chunks: 3 });
    // The next worker: the same database, a signal that is not aborted.
    const resumed = { ...w.ctx, shutdown: new AbortController().signal };
    w.store.beforeCommit = () => undefined;
    w.hostwinds.calls.length = 0;
    await reconcileJob.handle(resumed, { trigger: "manual" }, job, silentLog);
    expect(w.hostwinds.calls.filter((c) => c.serviceid !== undefined)).toEqual([]);
    expect(run).toMatchObject({ status: "completed", vpsChecked: 6 });
  });
});

describe("an event sync prices from the catalogue", () => {
  it("makes one call (get_instance) once the catalogue and its plan group are known", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "10", billingcycle: "quarterly" });
    w.hostwinds.instances.set(5002, { rid: "10", billingcycle: "monthly" });
    w.store.addVps({ id: "v1", serviceId: "5001" });
    w.store.addVps({ id: "v2", serviceId: "5002" });
    await sync(w, "v1"); // cold: learns the group's plan from its own price list
    await w.catalogue.refresh(() => w.hostwinds.getPriceList()); // as the last reconciliation left it
    w.hostwinds.calls.length = 0;
    expect(await sync(w, "v2")).toMatchObject({
      outcome: "priced",
      cost: "9.99",
      source: "get_price_list rid 10 monthly",
    });
    expect(w.hostwinds.calls).toEqual([{ action: "get_instance", serviceid: 5002 }]);
  });

  it("asks the instance's own price list when its group's plan is stale", async () => {
    const w = fakeWorld();
    w.hostwinds.instances.set(5001, { rid: "11", billingcycle: "monthly" });
    w.store.addVps({ id: "v1", serviceId: "5001" });
    await sync(w, "v1");
    for (const plan of w.plans.plans.values()) plan.learnedAt -= w.ctx.cfg.HOSTWINDS_PLAN_MAX_AGE_SECONDS * 1000 + 1;
    w.hostwinds.calls.length = 0;
    await sync(w, "v1");
    expect(w.hostwinds.calls).toEqual([
      { action: "get_instance", serviceid: 5001 },
      { action: "get_price_list", serviceid: 5001 },
    ]);
  });
});
