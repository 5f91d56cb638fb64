import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { API_KEY, costOf, Harness, insertVps } from "./support/harness.js";
import { runCli, spawnWorker, type WorkerProcess } from "./support/worker-process.js";

// Each test has a world of its own (database, queue prefix, simulator), so any one runs alone.
let h: Harness;
let env: Record<string, string>;
let workers: WorkerProcess[] = [];

beforeEach(async () => {
  h = await new Harness().setup();
  env = {
    DATABASE_URL: h.db.url,
    HOSTWINDS_API_URL: h.sim.url,
    HOSTWINDS_API_KEY: API_KEY,
    HOSTWINDS_REQUESTS_PER_SECOND: "1000",
    QUEUE_PREFIX: h.prefix,
    WORKER_LOCK_DURATION_MS: "2000",
    RECONCILE_CHUNK_SIZE: "25",
    SHUTDOWN_TIMEOUT_MS: "20000",
  };
});
afterEach(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  workers = [];
  await h.teardown();
});

async function worker(extra: Record<string, string> = {}) {
  const w = await spawnWorker({ ...env, ...extra });
  workers.push(w);
  return w;
}

/**
 * The fleet the reconciliation tests walk, priced by a running worker: one monthly VPS (serviceid 1)
 * and 150 quarterly ones on three plans. Returns the ids of the 150.
 */
async function pricedFleet(): Promise<string[]> {
  h.sim.catalogue.setInstance({ serviceid: 1, rid: "10", billingcycle: "monthly" });
  for (let i = 0; i < 150; i++)
    h.sim.catalogue.setInstance({ serviceid: 100 + i, rid: ["10", "11", "12"][i % 3]!, billingcycle: "quarterly" });
  await insertVps(h, { serviceid: 1 });
  const ids: string[] = [];
  for (let i = 0; i < 150; i++) ids.push((await insertVps(h, { serviceid: 100 + i })).vpsId);
  await vi.waitFor(
    async () => {
      const [r] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM vps_instances WHERE approximate_cost > 0`);
      expect(r!.n).toBe(151);
    },
    { timeout: 30_000, interval: 200 },
  );
  return ids;
}

// Real worker processes start and stop here (several seconds each on a loaded machine): a bound, not a speed target.
describe("the worker process", { timeout: 180_000 }, () => {
  it("on SIGTERM lets the active job finish, then exits 0", async () => {
    const w = await worker();
    h.sim.latencyMs = 1500;
    h.sim.catalogue.setInstance({ serviceid: 1, rid: "10", billingcycle: "monthly" });
    const { vpsId } = await insertVps(h, { serviceid: 1 });
    await vi.waitFor(() => expect(h.sim.requestsFor("get_price_list").length).toBeGreaterThan(0), {
      timeout: 10_000,
      interval: 20,
    });
    w.child.kill("SIGTERM");
    const exit = await w.exited;
    h.sim.latencyMs = 0;
    expect(exit).toEqual({ code: 0, signal: null });
    expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("9.99");
    expect(w.stderr.join("")).toContain("shut down");
    expect(w.stderr.join("")).not.toContain(API_KEY);
  });

  it("a reconciliation survives SIGKILL of its worker: the next worker resumes it, every cost right, no history duplicated", async () => {
    const w1 = await worker();
    const ids = await pricedFleet();
    // Hostwinds changes every price; the reconciliation must find them all.
    for (const rid of ["10", "11", "12"]) {
      const p = h.sim.catalogue.plans.get(rid)!;
      h.sim.catalogue.setPlan({
        ...p,
        prices: { ...p.prices, quarterly: (Number(p.prices.quarterly) + 3).toFixed(2) },
      });
    }
    h.sim.latencyMs = 15;
    expect((await runCli(["reconcile"], env)).code).toBe(0);
    await vi.waitFor(
      async () => {
        const [run] = await h.sql<{ n: number }>(
          `SELECT vps_checked AS n FROM cost_reconciliation_runs WHERE status = 'running'`,
        );
        expect(run?.n ?? 0).toBeGreaterThanOrEqual(25);
      },
      { timeout: 20_000, interval: 20 },
    );
    w1.child.kill("SIGKILL");
    await w1.exited;
    const [mid] = await h.sql<{ checked: number }>(`SELECT vps_checked AS checked FROM cost_reconciliation_runs`);
    expect(mid!.checked).toBeLessThan(151);
    h.sim.latencyMs = 0;
    await worker();
    await vi.waitFor(
      async () => {
        const [run] = await h.sql<{ status: string }>(`SELECT status FROM cost_reconciliation_runs`);
        expect(run!.status).toBe("completed");
      },
      { timeout: 30_000, interval: 200 },
    );
    const runs = await h.sql<{ vps_checked: number }>(`SELECT vps_checked FROM cost_reconciliation_runs`);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.vps_checked).toBeGreaterThanOrEqual(151);
    const wrong = await h.sql(
      `SELECT id FROM vps_instances WHERE id = ANY($1::uuid[]) AND approximate_cost NOT IN (10.99, 4.33, 40.99)`,
      [ids],
    );
    expect(wrong).toEqual([]);
    const dup = await h.sql(
      `SELECT resource_id, new_value FROM cost_history GROUP BY resource_id, new_value HAVING count(*) > 1`,
    );
    expect(dup).toEqual([]);
  });

  it("on SIGTERM during a long reconciliation stops at the next chunk boundary, exits 0, and the next worker resumes it", async () => {
    // One call in flight, half a second each: 151 VPS would take over a minute, far past SHUTDOWN_TIMEOUT_MS.
    // Without a product id no instance can be priced from the catalogue: each costs a call, in the walk.
    const w1 = await worker({ RECONCILE_CONCURRENCY: "1" });
    await pricedFleet();
    for (let i = 0; i < 150; i++)
      h.sim.catalogue.setInstance({
        serviceid: 100 + i,
        rid: ["10", "11", "12"][i % 3]!,
        billingcycle: "quarterly",
        productId: null,
      });
    h.sim.latencyMs = 500;
    expect((await runCli(["reconcile"], env)).code).toBe(0);
    await vi.waitFor(
      async () => {
        const [run] = await h.sql<{ n: number }>(
          `SELECT vps_checked AS n FROM cost_reconciliation_runs WHERE status = 'running'`,
        );
        expect(run?.n ?? 0).toBeGreaterThanOrEqual(25);
      },
      { timeout: 60_000, interval: 50 },
    );
    w1.child.kill("SIGTERM");
    expect(await w1.exited).toEqual({ code: 0, signal: null });
    const log = w1.stderr.join("");
    expect(log).toContain("shut down");
    expect(log).not.toContain("did not finish in time");
    const [handedOver] = await h.sql<{ status: string; checked: number; cursor: string | null }>(
      `SELECT status, vps_checked AS checked, cursor_vps_id::text AS cursor FROM cost_reconciliation_runs WHERE status <> 'completed'`,
    );
    expect(handedOver).toMatchObject({ status: "running" });
    expect(handedOver!.checked % 25).toBe(0);
    expect(handedOver!.cursor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    h.sim.latencyMs = 0;
    const w2 = await worker();
    await vi.waitFor(
      async () => expect(await h.sql(`SELECT 1 FROM cost_reconciliation_runs WHERE status <> 'completed'`)).toEqual([]),
      { timeout: 60_000, interval: 200 },
    );
    const [last] = await h.sql<{ checked: number }>(
      `SELECT vps_checked AS checked FROM cost_reconciliation_runs ORDER BY started_at DESC LIMIT 1`,
    );
    expect(last!.checked).toBe(151);
    // The last-reconciliation gauge is read from the database, so a fresh worker does not report 0.
    const metrics = await (await fetch(`${w2.opsUrl}/metrics`)).text();
    const gauge = /^cost_sync_last_successful_reconciliation_timestamp_seconds (\d+)/m.exec(metrics);
    expect(Number(gauge?.[1] ?? 0)).toBeGreaterThan(0);
  });

  it("refuses to start without a Hostwinds key unless pointed at a loopback simulator", async () => {
    const noKey = { ...env, HOSTWINDS_API_KEY: "", HOSTWINDS_API_URL: "https://clients.hostwinds.com/cloud/api.php" };
    const r = await runCli(["worker"], noKey);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HOSTWINDS_API_KEY: is required to run the worker");
  });
});
