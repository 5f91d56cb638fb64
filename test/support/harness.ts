import { randomBytes } from "node:crypto";
import { QueueEvents, type Job } from "bullmq";
import { loadConfig, type Config } from "../../src/config/env.js";
import { Catalogue } from "../../dev/simulator/catalogue.js";
import { HostwindsSimulator } from "../../dev/simulator/server.js";
import { QUEUE_NAME } from "../../src/jobs/definitions.js";
import { startRuntime, type Runtime, type RuntimeOptions } from "../../src/runtime.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./pg.js";
import { captureLogs } from "./log-capture.js";
import type pg from "pg";

export const API_KEY = "test-hostwinds-key-5f1e2d3c4b";

/** One test file's world: its own database, queue prefix, simulator, and runtimes. */
export class Harness {
  readonly prefix = `cs-test-${randomBytes(4).toString("hex")}`;
  readonly sim = new HostwindsSimulator({ apiKey: API_KEY, catalogue: new Catalogue() });
  readonly logs = captureLogs("debug");
  db!: TestDatabase;
  cfg!: Config;
  #runtimes: Runtime[] = [];
  #events: QueueEvents | undefined;

  async setup(env: Record<string, string> = {}): Promise<this> {
    this.db = await createMigratedDatabase();
    await this.sim.start();
    this.cfg = this.config(env);
    return this;
  }

  config(env: Record<string, string> = {}): Config {
    return loadConfig({
      DATABASE_URL: this.db.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      HOSTWINDS_API_URL: this.sim.url,
      HOSTWINDS_API_KEY: API_KEY,
      HOSTWINDS_REQUESTS_PER_SECOND: "1000",
      QUEUE_PREFIX: this.prefix,
      OPS_PORT: "0",
      LOG_LEVEL: "debug",
      WORKER_CONCURRENCY: "4",
      SHUTDOWN_TIMEOUT_MS: "10000",
      HOSTWINDS_TIMEOUT_MS: "1500",
      ...env,
    });
  }

  async start(o: RuntimeOptions = {}, cfg = this.cfg): Promise<Runtime> {
    const rt = await startRuntime(cfg, {
      logger: this.logs.logger,
      relaySweepMs: 500,
      attributionRefreshDelayMs: 50,
      ops: false,
      ...o,
    });
    this.#runtimes.push(rt);
    return rt;
  }

  async events(): Promise<QueueEvents> {
    if (!this.#events) {
      // From the start of this file's own stream, not "$": a job that finishes before the
      // reader first blocks would otherwise never be reported (src/jobs/queue-events.ts).
      this.#events = new QueueEvents(QUEUE_NAME, {
        connection: { host: "127.0.0.1", port: 6379 },
        prefix: this.prefix,
        lastEventId: "0-0",
      });
      await this.#events.waitUntilReady();
    }
    return this.#events;
  }

  /** Waits for a job to finish and returns its result (or throws its failure). */
  async finished<T = Record<string, unknown>>(job: Job | undefined, ttl = 20_000): Promise<T> {
    if (!job) throw new Error("no job was enqueued");
    return job.waitUntilFinished(await this.events(), ttl) as Promise<T>;
  }

  sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.db.url, async (c) => (await c.query<T>(text, params)).rows);
  }

  async teardown(): Promise<void> {
    for (const rt of this.#runtimes) await rt.close();
    await this.#events?.close();
    await this.sim.close();
    // Remove this file's queue keys from the shared Redis.
    const { Redis } = await import("ioredis");
    const r = new Redis("redis://127.0.0.1:6379");
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${this.prefix}:*`, "COUNT", 1000);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    r.disconnect();
    await this.db.drop();
  }
}

/** Inserts a VPS (and optionally IPs); returns ids. The event trigger fires as for the application's own inserts. */
export async function insertVps(
  h: Harness,
  o: {
    serviceid: number | string | null;
    status?: string;
    tenantId?: string | null;
    ips?: number;
    monthlyCost?: string;
  },
): Promise<{ vpsId: string; ipIds: string[] }> {
  const [row] = await h.sql<{ id: string }>(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, tenant_id, monthly_cost) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [
      o.serviceid === null ? null : String(o.serviceid),
      o.status ?? "active",
      o.tenantId ?? null,
      o.monthlyCost ?? null,
    ],
  );
  const ipIds: string[] = [];
  for (let i = 0; i < (o.ips ?? 0); i++) {
    const [ip] = await h.sql<{ id: string }>(
      `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status) VALUES ($1, $2, 'warming') RETURNING id::text`,
      [row!.id, `203.0.113.${(i % 250) + 1}`],
    );
    ipIds.push(ip!.id);
  }
  return { vpsId: row!.id, ipIds };
}

export async function costOf(h: Harness, table: "vps_instances" | "smtp_ip_addresses", id: string) {
  const [r] = await h.sql<{ cost: string; source: string | null; unpriced: string | null; override: string | null }>(
    `SELECT approximate_cost::text AS cost, approximate_cost_source AS source, approximate_cost_unpriced_reason AS unpriced,
            approximate_cost_override::text AS override FROM ${table} WHERE id = $1`,
    [id],
  );
  return r!;
}

/**
 * Waits until the world is quiet: every outbox event relayed, no job waiting or running, and no
 * delayed job but the schedulers' own (checked three times in a row, 100 ms apart).
 */
export async function settle(h: Harness, rt: Runtime, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 3;) {
    if (Date.now() > deadline) throw new Error("the queue did not settle");
    await new Promise((r) => setTimeout(r, 100));
    const [pending] = await h.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM cost_sync_events WHERE relayed_at IS NULL`,
    );
    const counts = await rt.queue.getJobCounts("waiting", "active", "prioritized");
    const delayed = (await rt.queue.getDelayed()).filter((j) => !j.repeatJobKey).length;
    const busy = (pending?.n ?? 0) + delayed + Object.values(counts).reduce((a, b) => a + b, 0);
    quiet = busy === 0 ? quiet + 1 : 0;
  }
}
