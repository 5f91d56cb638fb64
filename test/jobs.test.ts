import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { repriceAllIps } from "../src/db/writes/ip-costs.js";
import { setOverride } from "../src/db/writes/overrides.js";
import { QUEUE_NAME } from "../src/jobs/definitions.js";
import { setIpConstant } from "../src/db/writes/settings.js";
import type { Runtime } from "../src/runtime.js";
import { costOf, Harness, insertVps, API_KEY } from "./support/harness.js";

const h = new Harness();
let rt: Runtime;
let nextSid = 1000;
/** A fresh instance in the simulator's catalogue. */
const instance = (rid: string, billingcycle: "monthly" | "quarterly" | "annually" | "hourly" = "monthly") => {
  const serviceid = nextSid++;
  h.sim.catalogue.setInstance({ serviceid, rid, billingcycle, hourly: billingcycle === "hourly" });
  return serviceid;
};
// A test that waits on its own sync's result enqueues it as ops do with `--wait`
// (dedupe: false): a deduplicated add made while the VPS's event-driven sync is
// still active returns that running job, whose result predates the test's change.
const history = (id: string) =>
  h.sql<{ old_value: string | null; new_value: string; source: string; reason: string; job_id: string }>(
    `SELECT old_value::text, new_value::text, source, reason, job_id FROM cost_history WHERE resource_id = $1 ORDER BY id`,
    [id],
  );

beforeAll(async () => {
  await h.setup();
  rt = await h.start();
});
afterAll(() => h.teardown());
beforeEach(() => h.sim.faults.clear());

describe("event intake", () => {
  it("writes the cost of a newly inserted VPS and its IPs without anyone enqueueing by hand", async () => {
    const sid = instance("10", "quarterly");
    const { vpsId, ipIds } = await insertVps(h, { serviceid: sid, ips: 2 });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
      interval: 100,
    });
    expect((await costOf(h, "vps_instances", vpsId)).source).toBe("get_price_list rid 10 quarterly / 3 months");
    for (const ip of ipIds)
      await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", ip)).cost).toBe("4.99"), {
        timeout: 10_000,
      });
    const [pending] = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM cost_sync_events WHERE relayed_at IS NULL`,
    );
    expect(pending!.n).toBe(0);
  });

  it("collapses a burst of events for one VPS into few syncs and one history row", async () => {
    const sid = instance("11");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    for (const s of ["provisioning", "active", "provisioning", "active"])
      await h.sql(`UPDATE vps_instances SET status = $1 WHERE id = $2`, [s, vpsId]);
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("19.99"), {
      timeout: 10_000,
    });
    await vi.waitFor(async () =>
      expect(
        (await h.sql(`SELECT 1 FROM cost_sync_events WHERE resource_id = $1 AND relayed_at IS NULL`, [vpsId])).length,
      ).toBe(0),
    );
    expect(await history(vpsId)).toHaveLength(1);
  });

  it("zeroes a decommissioned VPS and its IPs", async () => {
    const sid = instance("10");
    const { vpsId, ipIds } = await insertVps(h, { serviceid: sid, ips: 1 });
    await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", ipIds[0]!)).cost).toBe("4.99"), {
      timeout: 10_000,
    });
    await h.sql(`UPDATE vps_instances SET status = 'decommissioned' WHERE id = $1`, [vpsId]);
    await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", ipIds[0]!)).cost).toBe("0.00"), {
      timeout: 10_000,
    });
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ cost: "0.00", source: "vps decommissioned" });
  });
});

describe("VPS cost sync", () => {
  it("running a sync twice leaves one effect and one history row", async () => {
    const sid = instance("12", "quarterly");
    const { vpsId } = await insertVps(h, { serviceid: null });
    await h.sql(`UPDATE vps_instances SET hostwinds_instance_id = $1 WHERE id = $2`, [String(sid), vpsId]);
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("39.99"), {
      timeout: 10_000,
    });
    const r = await h.finished(
      await rt.producer.enqueueVpsCostSync(vpsId, { reason: "manual re-sync", dedupe: false }),
    );
    expect(r).toMatchObject({ outcome: "priced", changed: 0, cost: "39.99" });
    const rows = await history(vpsId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      old_value: "0.00",
      new_value: "39.99",
      source: "get_price_list rid 12 quarterly / 3 months",
    });
  });

  it("a sync asked for while that VPS's sync runs joins it and still runs once more after it: a change made mid-sync is priced", async () => {
    const sid = instance("10");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
    await vi.waitFor(async () => expect(await rt.queue.getDeduplicationJobId(`vps-${vpsId}`)).toBeNull(), {
      timeout: 10_000,
    });
    // The first sync's get_instance has been answered with plan rid 10, and is still on the wire.
    const reads = () => h.sim.requestsFor("get_instance").filter((q) => q.params.serviceid === String(sid)).length;
    const before = reads();
    h.sim.inject({ type: "latency", ms: 1000 }, { action: "get_instance", serviceid: sid, times: 1 });
    const first = await rt.producer.enqueueVpsCostSync(vpsId, { reason: "first" });
    await vi.waitFor(() => expect(reads()).toBe(before + 1), { timeout: 10_000, interval: 20 });
    h.sim.catalogue.setInstance({ serviceid: sid, rid: "11", billingcycle: "monthly" });
    const second = await rt.producer.enqueueVpsCostSync(vpsId, { reason: "plan changed mid-sync" });
    expect(second.id).toBe(first.id);
    expect(await h.finished(first)).toMatchObject({ outcome: "priced", changed: 0, cost: "9.99" });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("19.99"), {
      timeout: 10_000,
    });
    expect((await history(vpsId)).map((r) => [r.old_value, r.new_value, r.reason])).toEqual([
      ["0.00", "9.99", expect.any(String)],
      ["9.99", "19.99", "plan changed mid-sync"],
    ]);
  });

  it("prices an upgrade at the target plan and the instance's cycle, reading the pending order, never sending upgrade_instance", async () => {
    const sid = instance("10", "quarterly");
    h.sim.catalogue.setInstance({
      ...h.sim.catalogue.instances.get(sid)!,
      pendingUpgrade: { total: "4.00", duedate: "2026-12-01" },
    });
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
    const r = await h.finished(
      await rt.producer.enqueueVpsCostSync(vpsId, { reason: "upgrade to rid 11", targetRid: "11" }),
    );
    expect(r).toMatchObject({ outcome: "priced", cost: "3.33", pendingUpgradeTotal: "4.00" });
    expect((await costOf(h, "vps_instances", vpsId)).source).toContain("upgrade target");
    expect(h.sim.requestsFor("check_upgrade_order").length).toBeGreaterThan(0);
    expect(
      h.sim.requests.filter(
        (q) =>
          ![
            "get_price_list",
            "get_billingcycle_prices",
            "get_instance",
            "get_instances",
            "check_upgrade_order",
          ].includes(q.action),
      ),
    ).toEqual([]);
  });

  it("keeps the previous cost and records the reason when a cycle is not offered", async () => {
    const sid = instance("10", "annually");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
    h.sim.catalogue.setInstance({ serviceid: sid, rid: "12", billingcycle: "annually" });
    const r = await h.finished(await rt.producer.enqueueVpsCostSync(vpsId, { reason: "plan changed", dedupe: false }));
    expect(r).toMatchObject({ outcome: "unpriced", detail: "cycle annually not offered for plan rid 12" });
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({
      cost: "9.99",
      unpriced: "cycle annually not offered for plan rid 12",
    });
  });

  it("retries transient Hostwinds faults and ends with the right cost", async () => {
    const sid = instance("11", "quarterly");
    h.sim.inject({ type: "status", status: 503 }, { serviceid: sid, times: 2 });
    h.sim.inject({ type: "status", status: 429, retryAfterSeconds: 0 }, { serviceid: sid, times: 2 });
    h.sim.inject({ type: "hang" }, { action: "get_instance", serviceid: sid, times: 1 });
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("3.33"), {
      timeout: 30_000,
      interval: 200,
    });
    // Two 503s and a timeout used attempts, the 429s paused without using one; then the price.
    expect(h.sim.requests.filter((r) => r.params.serviceid === String(sid)).length).toBeGreaterThan(5);
    expect(await history(vpsId)).toHaveLength(1);
  });

  it("reports a permanent fault with its reason and leaves the stored cost untouched", async () => {
    const sid = instance("10");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
    h.sim.inject({ type: "wrong-shape" }, { action: "get_instance", serviceid: sid });
    const r = await h.finished(await rt.producer.enqueueVpsCostSync(vpsId, { reason: "bad answer", dedupe: false }));
    expect(r).toMatchObject({ outcome: "unpriced" });
    expect(String(r.detail)).toMatch(/get_instance: response failed validation/);
    expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99");

    h.sim.faults.clear();
    h.sim.inject({ type: "auth" }, { serviceid: sid });
    await expect(
      h.finished(await rt.producer.enqueueVpsCostSync(vpsId, { reason: "auth broken", dedupe: false })),
    ).rejects.toThrow(/Not Authorized/);
    expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99");
  });
});

describe("overrides and the IP constant", () => {
  it("never overwrites an override with a sync or a reconciliation", async () => {
    const sid = instance("10");
    const { vpsId, ipIds } = await insertVps(h, { serviceid: sid, ips: 2 });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
    await setOverride(rt.db, {
      kind: "vps",
      id: vpsId,
      cents: 777n,
      write: { jobId: "test", reason: "special contract" },
    });
    await setOverride(rt.db, {
      kind: "ip",
      id: ipIds[0]!,
      cents: 150n,
      write: { jobId: "test", reason: "bundled IP" },
    });
    await h.finished(await rt.producer.enqueueVpsCostSync(vpsId, { reason: "sync after override", dedupe: false }));
    expect(await costOf(h, "vps_instances", vpsId)).toMatchObject({ cost: "7.77", source: "override" });
    expect((await costOf(h, "smtp_ip_addresses", ipIds[0]!)).cost).toBe("1.50");
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("7.77");
    expect((await costOf(h, "smtp_ip_addresses", ipIds[0]!)).cost).toBe("1.50");
    expect((await costOf(h, "smtp_ip_addresses", ipIds[1]!)).cost).toBe("4.99");
  });

  it("reprices every IP without an override when Finance changes the constant, with history", async () => {
    const { ipIds } = await insertVps(h, { serviceid: instance("10"), ips: 3 });
    await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", ipIds[2]!)).cost).toBe("4.99"), {
      timeout: 10_000,
    });
    await setOverride(rt.db, { kind: "ip", id: ipIds[0]!, cents: 100n, write: { jobId: "test", reason: "contract" } });
    await setIpConstant(rt.db, 525n, "test");
    const r = await h.finished(await rt.producer.enqueueIpConstantChanged({ reason: "constant 4.99 -> 5.25" }));
    expect(Number(r.changed)).toBeGreaterThanOrEqual(2);
    expect((await costOf(h, "smtp_ip_addresses", ipIds[0]!)).cost).toBe("1.00");
    expect((await costOf(h, "smtp_ip_addresses", ipIds[1]!)).cost).toBe("5.25");
    const [left] = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM smtp_ip_addresses i JOIN vps_instances v ON v.id = i.vps_instance_id
        WHERE i.approximate_cost_override IS NULL AND v.status <> 'decommissioned' AND i.approximate_cost <> 5.25`,
    );
    expect(left!.n).toBe(0);
    const rows = await history(ipIds[1]!);
    expect(rows.at(-1)).toMatchObject({ old_value: "4.99", new_value: "5.25", reason: "constant 4.99 -> 5.25" });
    // Recorded under the job's id and creation time: BullMQ ids start again at 1 when Redis loses its data.
    expect(rows.at(-1)!.job_id).toMatch(/^\d+@\d{4}-\d\d-\d\dT/);
    await setIpConstant(rt.db, 499n, "test");
    await h.finished(await rt.producer.enqueueIpConstantChanged({ reason: "back" }));
  });
});

describe("repricing every IP", () => {
  it("splits the IPs into shares, prices IPs on no VPS or a decommissioned one at 0.00, and a retry after a hit on the history key completes", async () => {
    const { ipIds } = await insertVps(h, { serviceid: instance("10"), ips: 4 });
    const { vpsId: goneVps, ipIds: goneIps } = await insertVps(h, { serviceid: instance("10"), ips: 1 });
    for (const ip of [...ipIds, ...goneIps])
      await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", ip)).cost).toBe("4.99"), {
        timeout: 10_000,
      });
    await h.sql(`UPDATE vps_instances SET status = 'decommissioned' WHERE id = $1`, [goneVps]);
    await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", goneIps[0]!)).cost).toBe("0.00"), {
      timeout: 10_000,
    });
    const [orphan] = await h.sql<{ id: string }>(
      `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status) VALUES (NULL, '192.0.2.77', 'available') RETURNING id::text`,
    );
    await vi.waitFor(async () => expect((await costOf(h, "smtp_ip_addresses", orphan!.id)).source).toBe("no vps"), {
      timeout: 10_000,
    });
    await h.sql(`UPDATE smtp_ip_addresses SET approximate_cost = 3.00 WHERE id = $1`, [orphan!.id]); // wrong, for the bulk path to put right
    // Called directly below, without a job's retries: let the syncs those inserts started finish first, so
    // no concurrent IP write makes a REPEATABLE READ share fail with a serialisation error (a job would retry it).
    await vi.waitFor(
      async () => {
        expect((await h.sql(`SELECT 1 FROM cost_sync_events WHERE relayed_at IS NULL`)).length).toBe(0);
        const counts = await rt.producer.queue.getJobCounts("active", "waiting", "prioritized");
        expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      },
      { timeout: 10_000, interval: 50 },
    );
    const before = new Map(
      (
        await h.sql<{ id: string; cost: string }>(
          `SELECT id::text, approximate_cost::text AS cost FROM smtp_ip_addresses`,
        )
      ).map((r) => [r.id, r.cost]),
    );

    // Finance's change first: a repricing writes only the constant system_config holds.
    await setIpConstant(rt.db, 600n, "test");
    // As if an earlier attempt had recorded one change under this key: a first attempt (no ON CONFLICT) meets the unique key and its share rolls back.
    const ctx = { jobId: "bulk-test@1", reason: "constant 4.99 -> 6.00" };
    await h.sql(
      `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id) VALUES ('ip', $1, 4.99, 6.00, 'test', 'earlier attempt', $2)`,
      [ipIds[0], ctx.jobId],
    );
    await expect(repriceAllIps(rt.db, 600n, { write: ctx, parallelism: 3, mayRepeat: false })).rejects.toThrow(
      /uq_cost_history_change/,
    );
    const retry = await repriceAllIps(rt.db, 600n, { write: ctx, parallelism: 3, mayRepeat: true });
    expect(retry.checked).toBe(before.size);

    for (const ip of ipIds)
      expect(await costOf(h, "smtp_ip_addresses", ip)).toMatchObject({
        cost: "6.00",
        source: "system_config cost_sync.smtp_ip_monthly_cost_usd",
      });
    expect(await costOf(h, "smtp_ip_addresses", goneIps[0]!)).toMatchObject({
      cost: "0.00",
      source: "vps decommissioned",
    });
    expect(await costOf(h, "smtp_ip_addresses", orphan!.id)).toMatchObject({ cost: "0.00", source: "no vps" });
    // Exactly one history row per IP whose cost changed, across both attempts and all shares, with the exact old value.
    const after = await h.sql<{ id: string; cost: string }>(
      `SELECT id::text, approximate_cost::text AS cost FROM smtp_ip_addresses`,
    );
    const changedIds = after
      .filter((r) => before.get(r.id) !== r.cost)
      .map((r) => r.id)
      .sort();
    const recorded = await h.sql<{ id: string; old_value: string }>(
      `SELECT resource_id::text AS id, old_value::text FROM cost_history WHERE job_id = $1 ORDER BY 1`,
      [ctx.jobId],
    );
    expect(recorded.map((r) => r.id)).toEqual(changedIds);
    for (const r of recorded) if (r.id !== ipIds[0]) expect(r.old_value).toBe(before.get(r.id));

    // A run with nothing to change changes nothing and records nothing.
    expect(
      (
        await repriceAllIps(rt.db, 600n, {
          write: { jobId: "bulk-test@2", reason: "again" },
          parallelism: 2,
          mayRepeat: false,
        })
      ).changed,
    ).toBe(0);
    await setIpConstant(rt.db, 499n, "test");
    await repriceAllIps(rt.db, 499n, {
      write: { jobId: "bulk-test@3", reason: "back" },
      parallelism: 1,
      mayRepeat: false,
    });
    expect((await costOf(h, "smtp_ip_addresses", ipIds[1]!)).cost).toBe("4.99");
  });
});

describe("job keys", () => {
  it("a job that gets an earlier job's id after Redis lost its data runs its own reconciliation", async () => {
    const first = await rt.producer.enqueueReconciliation({ trigger: "manual" });
    const r1 = await h.finished<{ runId: string }>(first, 60_000);
    const sid = instance("10");
    const { vpsId } = await insertVps(h, { serviceid: sid });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99"), {
      timeout: 10_000,
    });
    h.sim.catalogue.setInstance({ serviceid: sid, rid: "11", billingcycle: "monthly", hourly: false }); // upgraded at Hostwinds
    // What a Redis without its data does: the id counter starts again and, in time, hands out the same id.
    // Only for this one add, on a quiet queue: the other jobs this file keeps in Redis must not get reused
    // ids (a real data loss takes them too), so the counter goes back to where it was right after.
    await vi.waitFor(
      async () => {
        const busy = await rt.queue.getJobs(["active", "waiting", "delayed", "prioritized"]);
        expect(busy.filter((j) => !j.id!.startsWith("repeat:")).map((j) => j.name)).toEqual([]);
      },
      { timeout: 10_000, interval: 50 },
    );
    const { Redis } = await import("ioredis");
    const redis = new Redis("redis://127.0.0.1:6379");
    const counter = `${h.prefix}:${QUEUE_NAME}:id`;
    const highest = await redis.get(counter);
    await redis.del(`${h.prefix}:${QUEUE_NAME}:${first.id}`);
    await redis.zrem(`${h.prefix}:${QUEUE_NAME}:completed`, first.id!);
    await redis.set(counter, Number(first.id) - 1);
    const second = await rt.producer.enqueueReconciliation({ trigger: "manual" });
    await redis.set(counter, highest!);
    redis.disconnect();
    expect(second.id).toBe(first.id);
    const r2 = await h.finished<{ runId: string; summary: { status: string } }>(second, 60_000);
    expect(r2.runId).not.toBe(r1.runId);
    expect(r2.summary.status).toBe("completed");
    expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("19.99");
  });
});

describe("executive views freshness", () => {
  it("a cost change reaches the views within the attribution refresh delay plus one refresh", async () => {
    const [t] = await h.sql<{ id: string }>(`INSERT INTO tenants (name) VALUES ('fresh') RETURNING id::text`);
    const sid = instance("10");
    await insertVps(h, { serviceid: sid, tenantId: t!.id, ips: 1 });
    await vi.waitFor(
      async () => {
        const [row] = await h.sql<{ vps: string; ip: string }>(
          `SELECT vps_cost::text AS vps, ip_cost::text AS ip FROM tenant_cost_attribution WHERE tenant_id = $1`,
          [t!.id],
        );
        expect(row).toEqual({ vps: "9.99", ip: "4.99" });
      },
      { timeout: 5_000, interval: 50 },
    );
  });

  it("a change the application makes to subscriptions reaches the views without anyone asking", async () => {
    const [t] = await h.sql<{ id: string }>(`INSERT INTO tenants (name) VALUES ('new customer') RETURNING id::text`);
    await h.sql(`INSERT INTO plans (name, slug, price_monthly) VALUES ('Pro', 'pro-fresh', 4900)`);
    await h.sql(
      `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start) SELECT $1, id, 'active', now() FROM plans WHERE slug = 'pro-fresh'`,
      [t!.id],
    );
    await vi.waitFor(
      async () => {
        const [row] = await h.sql<{ revenue: string }>(
          `SELECT monthly_subscription_revenue::text AS revenue FROM executive_business_summary WHERE tenant_id = $1`,
          [t!.id],
        );
        expect(row?.revenue).toBe("49.00");
      },
      { timeout: 5_000, interval: 50 },
    );
  });
});

describe("reconciliation", () => {
  it("reprices everything with calls that grow with the plans, not the VPS, and records the run", async () => {
    for (let i = 0; i < 12; i++)
      await insertVps(h, { serviceid: instance(["10", "11"][i % 2]!, "monthly"), ips: 1, monthlyCost: "10.00" });
    await vi.waitFor(async () =>
      expect((await h.sql(`SELECT 1 FROM cost_sync_events WHERE relayed_at IS NULL`)).length).toBe(0),
    );
    await h.finished(await rt.producer.enqueueAttributionRefresh({ reason: "settle" }));
    // A price change at Hostwinds: plan 11 monthly 19.99 -> 45.00 is an anomaly (> 20 % and > $10).
    const plan = h.sim.catalogue.plans.get("11")!;
    h.sim.catalogue.setPlan({ ...plan, prices: { ...plan.prices, monthly: "45.00" } });
    const before = h.sim.requests.length;
    const r = await h.finished<{ summary: Record<string, unknown>; runId: string }>(
      await rt.producer.enqueueReconciliation({ trigger: "manual" }),
      60_000,
    );
    const calls = h.sim.requests.slice(before);
    const [counts] = await h.sql<{ vps: number }>(`SELECT count(*)::int AS vps FROM vps_instances`);
    const [groups] = await h.sql<{ n: number; catalogue: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE mode = 'catalogue')::int AS catalogue
         FROM cost_reconciliation_groups WHERE run_id = $1`,
      [r.runId],
    );
    expect(calls.filter((c) => c.action === "get_instances")).toHaveLength(1);
    // The catalogue once, then per group: one call to learn its plan, one or more to verify it.
    expect(calls.filter((c) => c.action === "get_price_list" && c.params.serviceid === undefined)).toHaveLength(1);
    expect(groups!.catalogue).toBe(groups!.n);
    expect(r.summary).toMatchObject({ status: "completed", vpsChecked: counts!.vps, callsList: 2, callsFallback: 0 });
    expect(r.summary.callsLearn).toBe(groups!.n);
    expect(Number(r.summary.hostwindsCalls)).toBe(calls.length);
    expect(calls.length).toBeLessThan(counts!.vps);
    expect(Number(r.summary.anomalies)).toBeGreaterThanOrEqual(6);
    const [fresh] = await h.sql<{ run: string }>(
      `SELECT value->>'run_id' AS run FROM system_config WHERE key = 'cost_sync.last_successful_reconciliation'`,
    );
    expect(fresh!.run).toBe(r.runId);
    h.sim.catalogue.setPlan(plan);
  });
});

describe("reconciliation edge cases", () => {
  it("records no anomaly for a VPS's first pricing (from 0.00 or never synced), only for a change of a price", async () => {
    // Rows inserted with triggers off, as a fleet imported before cost-sync: no event prices them first.
    const sids = [instance("11"), instance("11")];
    await h.sql(`ALTER TABLE vps_instances DISABLE TRIGGER trg_cost_sync_vps_event`);
    const rows = await h.sql<{ id: string }>(
      `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost)
       VALUES ($1, 'active', 0.00), ($2, 'active', NULL) RETURNING id::text`,
      [String(sids[0]), String(sids[1])],
    );
    await h.sql(`ALTER TABLE vps_instances ENABLE TRIGGER trg_cost_sync_vps_event`);
    const ids = rows.map((r) => r.id);
    expect(ids).toHaveLength(2);
    const anomaliesOf = async () =>
      (
        await h.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM cost_anomalies WHERE resource_id = ANY($1::uuid[])`,
          [ids],
        )
      )[0]!.n;
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    const priced = await h.sql<{ cost: string }>(
      `SELECT approximate_cost::text AS cost FROM vps_instances WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(priced.map((p) => p.cost)).toEqual(["19.99", "19.99"]); // 0.00 -> 19.99: beyond $10, and from zero
    expect(await anomaliesOf()).toBe(0);
    const plan = h.sim.catalogue.plans.get("11")!;
    h.sim.catalogue.setPlan({ ...plan, prices: { ...plan.prices, monthly: "45.00" } });
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    h.sim.catalogue.setPlan(plan);
    expect(await anomaliesOf()).toBe(2); // 19.99 -> 45.00: beyond both thresholds
  });

  it("prices IPs that sit on no VPS at 0.00 and counts every IP exactly once", async () => {
    const [orphan] = await h.sql<{ id: string }>(
      `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost) VALUES (NULL, '192.0.2.9', 'available', 3.00) RETURNING id::text`,
    );
    const r = await h.finished<{ summary: Record<string, unknown> }>(
      await rt.producer.enqueueReconciliation({ trigger: "manual" }),
      60_000,
    );
    expect(await costOf(h, "smtp_ip_addresses", orphan!.id)).toMatchObject({ cost: "0.00", source: "no vps" });
    const [ips] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM smtp_ip_addresses`);
    expect(r.summary.ipChecked).toBe(ips!.n);
  });
});

describe("workers", () => {
  it("registers one schedule when three workers start at once", async () => {
    const cfg = h.config();
    await Promise.all([h.start({}, cfg), h.start({}, cfg), h.start({}, cfg)]);
    const schedulers = await rt.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual([
      "daily-price-watch",
      "monthly-reconciliation",
      "views-refresh",
    ]);
    expect(schedulers.find((s) => s.key === "monthly-reconciliation")).toMatchObject({
      pattern: "0 3 1 * *",
      tz: "UTC",
    });
  });

  it("several workers on one queue never write a change twice", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await insertVps(h, { serviceid: instance("12", "quarterly") })).vpsId);
    for (const id of ids)
      for (let k = 0; k < 3; k++) await rt.producer.enqueueVpsCostSync(id, { reason: `manual ${k}` });
    await vi.waitFor(
      async () => {
        const [r] = await h.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM vps_instances WHERE id = ANY($1::uuid[]) AND approximate_cost = 39.99`,
          [ids],
        );
        expect(r!.n).toBe(20);
      },
      { timeout: 20_000 },
    );
    const [dup] = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM cost_history WHERE resource_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(dup!.n).toBe(20);
  });

  it("keeps the API key out of every log line and every Redis job", async () => {
    // Traffic of its own (VPS created, their events relayed, syncs against Hostwinds), whatever ran before.
    for (const rid of ["10", "11"]) {
      const { vpsId } = await insertVps(h, { serviceid: instance(rid) });
      await h.finished(await rt.producer.enqueueVpsCostSync(vpsId, { reason: "key check", dedupe: false }));
    }
    expect(h.logs.lines.length).toBeGreaterThan(10);
    expect(h.logs.lines.join("\n")).not.toContain(API_KEY);
    const jobs = await rt.queue.getJobs(["completed", "failed", "waiting", "delayed"], 0, 500);
    expect(JSON.stringify(jobs.map((j) => j.asJSON()))).not.toContain(API_KEY);
  });
});
