import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { Agent } from "undici";
import type { Config } from "./config/env.js";
import { createDb, type Db } from "./db/client.js";
import { EventRelay } from "./events/relay.js";
import { HostwindsClient } from "./hostwinds/client.js";
import { RedisRateGate } from "./hostwinds/rate-gate.js";
import type { JobContext } from "./jobs/context.js";
import { QUEUE_NAME, RECONCILE_SCHEDULER_ID, JOB_NAMES, VIEWS_REFRESH_SCHEDULER_ID } from "./jobs/definitions.js";
import { createProcessor } from "./jobs/processor.js";
import { CostSyncProducer, DEFAULT_JOB_OPTIONS } from "./jobs/producer.js";
import { createLogger, type Logger } from "./logger.js";
import { createAnalytics } from "./ops/analytics.js";
import { createMetrics } from "./ops/metrics.js";
import { startOpsServer } from "./ops/server.js";

/** Knobs tests, the demo and the benchmark turn; production uses the defaults. */
export interface RuntimeOptions {
  logger?: Logger;
  relaySweepMs?: number;
  attributionRefreshDelayMs?: number;
  reconcileConcurrency?: number;
  /** Start the ops HTTP server (default true). */
  ops?: boolean;
  hostwindsRetry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number; retryAfterCapMs?: number };
}

export interface Runtime {
  cfg: Config;
  db: Db;
  queue: Queue;
  worker: Worker;
  producer: CostSyncProducer;
  hostwinds: HostwindsClient;
  log: Logger;
  opsUrl: string | undefined;
  /** Stops taking jobs, lets active ones finish (up to SHUTDOWN_TIMEOUT_MS), closes everything. Idempotent. */
  close(): Promise<void>;
}

/** Refuses to start on a database that `cost-sync migrate` has not prepared. */
async function assertMigrated(db: Db): Promise<void> {
  const [row] = await db.$queryRawUnsafe<{ ok: boolean }[]>(
    `SELECT to_regclass('cost_sync_events') IS NOT NULL AND to_regclass('tenant_business_snapshot') IS NOT NULL AS ok`,
  );
  if (!row?.ok) {
    await db.$disconnect();
    throw new Error("the database is not migrated for cost-sync: run `npx cost-sync migrate` (then `npx cost-sync verify`)");
  }
}

/**
 * The composition root: the one place that creates Redis, Prisma, the
 * Hostwinds client, the queue, the worker, the event relay and the ops server,
 * and hands them down. Nothing else creates clients.
 */
export async function startRuntime(cfg: Config, o: RuntimeOptions = {}): Promise<Runtime> {
  const log = o.logger ?? createLogger(cfg.LOG_LEVEL);
  const db = createDb(cfg.DATABASE_URL, Math.max(4, cfg.WORKER_CONCURRENCY + 2));
  await assertMigrated(db);
  const metrics = createMetrics();
  const analytics = await createAnalytics(cfg.POSTHOG_API_KEY, cfg.POSTHOG_HOST, log);

  // Workers block on Redis: maxRetriesPerRequest null (BullMQ's production guide).
  const workerRedis = new Redis(cfg.REDIS_URL, { maxRetriesPerRequest: null });
  const queueRedis = new Redis(cfg.REDIS_URL, { maxRetriesPerRequest: null });
  for (const r of [workerRedis, queueRedis]) r.on("error", (err) => log.warn({ err: { message: err.message } }, "redis error"));

  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64, connect: { timeout: Math.min(cfg.HOSTWINDS_TIMEOUT_MS, 10_000) } });
  const hostwinds = new HostwindsClient({
    url: cfg.HOSTWINDS_API_URL,
    apiKey: cfg.HOSTWINDS_API_KEY,
    dispatcher,
    timeoutMs: cfg.HOSTWINDS_TIMEOUT_MS,
    retry: { maxRetries: cfg.HOSTWINDS_MAX_RETRIES, ...o.hostwindsRetry },
    gate: cfg.HOSTWINDS_REQUESTS_PER_SECOND === 0 ? undefined : new RedisRateGate(queueRedis, cfg.QUEUE_PREFIX, cfg.HOSTWINDS_REQUESTS_PER_SECOND),
    logger: log.child({ component: "hostwinds" }),
    onAttempt: (action, outcome) => metrics.hostwindsRequests.inc({ action, outcome }),
  });

  const queue = new Queue(QUEUE_NAME, { connection: queueRedis, prefix: cfg.QUEUE_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  queue.on("error", (err) => log.warn({ err }, "queue error"));
  const producer = new CostSyncProducer(queue);

  const ctx: JobContext = {
    cfg,
    db,
    hostwinds,
    producer,
    metrics,
    analytics,
    attributionRefreshDelayMs: o.attributionRefreshDelayMs ?? 1000,
    reconcileConcurrency: o.reconcileConcurrency ?? cfg.RECONCILE_CONCURRENCY,
  };

  // Upserting by a fixed id is idempotent: three workers starting at once leave one schedule.
  await queue.upsertJobScheduler(RECONCILE_SCHEDULER_ID, { pattern: cfg.RECONCILE_CRON, tz: "UTC" }, {
    name: JOB_NAMES.reconcile,
    data: { trigger: "schedule" },
    opts: { attempts: 10, backoff: { type: "exponential", delay: 30_000 } },
  });

  // The executive views' precomputed figures also age by the calendar (30-day usage window): refresh them periodically.
  await queue.upsertJobScheduler(VIEWS_REFRESH_SCHEDULER_ID, { every: 10 * 60_000 }, {
    name: JOB_NAMES.refreshAttribution,
    data: { reason: "periodic refresh" },
  });

  const worker = new Worker(QUEUE_NAME, createProcessor(ctx, queue, log, QUEUE_NAME), {
    connection: workerRedis,
    prefix: cfg.QUEUE_PREFIX,
    concurrency: cfg.WORKER_CONCURRENCY,
    // A crashed worker's job is picked up again once its lock expires.
    lockDuration: cfg.WORKER_LOCK_DURATION_MS,
    stalledInterval: cfg.WORKER_LOCK_DURATION_MS,
    maxStalledCount: 5,
    autorun: true,
  });
  worker.on("error", (err) => log.warn({ err }, "worker error"));

  const relay = new EventRelay({
    databaseUrl: cfg.DATABASE_URL,
    producer,
    log: log.child({ component: "relay" }),
    sweepIntervalMs: o.relaySweepMs,
    viewsRefreshDelayMs: ctx.attributionRefreshDelayMs,
  });
  await relay.start();

  const ops =
    o.ops === false
      ? undefined
      : await startOpsServer({
          host: cfg.OPS_HOST,
          port: cfg.OPS_PORT,
          queues: [queue],
          registry: metrics.registry,
          health: { redis: () => queueRedis.ping(), postgres: () => db.$queryRawUnsafe("SELECT 1") },
          board: cfg.BULL_BOARD_USER && cfg.BULL_BOARD_PASSWORD ? { user: cfg.BULL_BOARD_USER, password: cfg.BULL_BOARD_PASSWORD } : undefined,
        });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info("shutting down: no new jobs; waiting for active ones");
      const deadline = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), cfg.SHUTDOWN_TIMEOUT_MS).unref());
      if ((await Promise.race([worker.close(), deadline])) === "timeout") {
        log.warn({ timeoutMs: cfg.SHUTDOWN_TIMEOUT_MS }, "active jobs did not finish in time; they will be retried");
        await worker.close(true);
      }
      await relay.close();
      await ops?.close();
      await queue.close();
      await analytics.close();
      workerRedis.disconnect();
      queueRedis.disconnect();
      await dispatcher.close();
      await db.$disconnect();
      log.info("shut down");
    })());

  log.info({ queue: QUEUE_NAME, prefix: cfg.QUEUE_PREFIX, ops: ops?.url, concurrency: cfg.WORKER_CONCURRENCY }, "worker started");
  return { cfg, db, queue, worker, producer, hostwinds, log, opsUrl: ops?.url, close };
}
