import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { API_KEY, costOf, Harness, insertVps } from "./support/harness.js";
import { spawnWorker } from "./support/worker-process.js";

const h = new Harness();
beforeAll(() => h.setup());
afterAll(() => h.teardown());

/** A Redis of this test's own on another loopback port, persisting to an AOF like production. */
function redisServer(port: number, dir: string) {
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--save",
      "",
    ],
    { stdio: "ignore" },
  );
  child.on("exit", (code, signal) => {
    if (code) console.error(`redis-server on port ${port} exited with code ${code} (signal ${signal}): port taken?`);
  });
  return child;
}

/**
 * A loopback port free now, below Linux's ephemeral range (32768+): a random port in that range can be
 * held by any outgoing connection of the suite, and redis-server then fails to bind and exits silently
 * (a CI run waited 30 s for a Redis that never started).
 */
async function freeLowPort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
const ping = (port: number) =>
  spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG";

describe("infrastructure faults", () => {
  it("the worker reconnects after its Redis restarts in the middle of a run, and finishes", async () => {
    const port = await freeLowPort();
    const dir = mkdtempSync(path.join(tmpdir(), "cs-redis-"));
    let redis = redisServer(port, dir);
    try {
      await vi.waitFor(() => expect(ping(port)).toBe(true), { timeout: 10_000 });
      const rt = await h.start({}, h.config({ REDIS_URL: `redis://127.0.0.1:${port}`, RECONCILE_CHUNK_SIZE: "10" }));
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        h.sim.catalogue.setInstance({ serviceid: 500 + i, rid: "10", billingcycle: "monthly" });
        ids.push((await insertVps(h, { serviceid: 500 + i })).vpsId);
      }
      await vi.waitFor(
        async () => expect((await h.sql(`SELECT 1 FROM vps_instances WHERE approximate_cost = 9.99`)).length).toBe(60),
        { timeout: 30_000, interval: 200 },
      );
      h.sim.latencyMs = 20;
      const p = h.sim.catalogue.plans.get("10")!;
      h.sim.catalogue.setPlan({ ...p, prices: { ...p.prices, monthly: "12.49" } });
      await rt.producer.enqueueReconciliation({ trigger: "manual" });
      await vi.waitFor(
        async () =>
          expect((await h.sql(`SELECT 1 FROM cost_reconciliation_runs WHERE vps_checked >= 10`)).length).toBe(1),
        { timeout: 20_000, interval: 20 },
      );
      spawnSync("redis-cli", ["-p", String(port), "shutdown"]);
      await new Promise((r) => redis.once("exit", r));
      await new Promise((r) => setTimeout(r, 500));
      redis = redisServer(port, dir);
      await vi.waitFor(() => expect(ping(port)).toBe(true), { timeout: 10_000 });
      h.sim.latencyMs = 0;
      await vi.waitFor(
        async () => {
          const [run] = await h.sql<{ status: string }>(`SELECT status FROM cost_reconciliation_runs`);
          expect(run!.status).toBe("completed");
        },
        { timeout: 40_000, interval: 200 },
      );
      expect(await h.sql(`SELECT id FROM vps_instances WHERE approximate_cost <> 12.49`)).toEqual([]);
      h.sim.catalogue.setPlan(p);
      await rt.close();
    } finally {
      redis.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a job whose Postgres connections are terminated retries and succeeds", async () => {
    const rt = await h.start();
    h.sim.catalogue.setInstance({ serviceid: 900, rid: "11", billingcycle: "monthly" });
    h.sim.latencyMs = 800;
    const { vpsId } = await insertVps(h, { serviceid: 900 }); // the trigger enqueues its sync
    await vi.waitFor(() => expect(h.sim.requests.some((r) => r.params.serviceid === "900")).toBe(true), {
      timeout: 10_000,
      interval: 10,
    });
    const [killed] = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()) t`,
    );
    expect(killed!.n).toBeGreaterThan(0);
    h.sim.latencyMs = 0;
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("19.99"), {
      timeout: 20_000,
    });
    expect(
      await h.sql(`SELECT 1 FROM cost_history WHERE resource_id = $1 AND new_value = 19.99`, [vpsId]),
    ).toHaveLength(1);
    expect(await rt.queue.getFailedCount()).toBe(0);
  });

  // A real worker process and a Redis of its own start here: a bound, not a speed target.
  it(
    "with Redis down at start, the worker opens its ops port, reports Redis down, backs off, and starts once Redis comes",
    { timeout: 90_000 },
    async () => {
      const port = await freeLowPort();
      const dir = mkdtempSync(path.join(tmpdir(), "cs-redis-"));
      const w = await spawnWorker({
        DATABASE_URL: h.db.url,
        REDIS_URL: `redis://127.0.0.1:${port}`,
        HOSTWINDS_API_URL: h.sim.url,
        HOSTWINDS_API_KEY: API_KEY,
        QUEUE_PREFIX: h.prefix,
      });
      let redis: ReturnType<typeof redisServer> | undefined;
      try {
        const down = await fetch(`${w.opsUrl}/healthz`);
        expect(down.status).toBe(503);
        const body = (await down.json()) as { checks: Record<string, string> };
        expect(body.checks.redis).toMatch(/^down/);
        expect(body.checks.postgres).toBe("ok");
        const reconnects = () =>
          w.stderr
            .join("")
            .split("\n")
            .filter((l) => l.includes("redis unreachable; reconnecting"))
            .map((l) => JSON.parse(l) as { role: string; attempt: number; retryInMs: number });
        await vi.waitFor(
          () => expect(reconnects().filter((r) => r.role === "queue").length).toBeGreaterThanOrEqual(3),
          {
            timeout: 20_000,
            interval: 100,
          },
        );
        // One line per attempt, each waiting twice as long as the one before: not several lines a second.
        const delays = reconnects()
          .filter((r) => r.role === "queue")
          .map((r) => r.retryInMs);
        expect(delays.slice(0, 3)).toEqual([200, 400, 800]);
        redis = redisServer(port, dir);
        await vi.waitFor(() => expect(ping(port)).toBe(true), { timeout: 10_000 });
        await vi.waitFor(() => expect(w.stderr.join("")).toContain("worker started"), {
          timeout: 30_000,
          interval: 100,
        });
        await vi.waitFor(async () => expect((await fetch(`${w.opsUrl}/healthz`)).status).toBe(200), {
          timeout: 10_000,
        });
      } finally {
        w.child.kill("SIGKILL");
        redis?.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
