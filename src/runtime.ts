import { Worker, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import type pg from "pg";
import type { Config } from "./config/env.js";
import type { Db } from "./db/client.js";
import { createRepositories } from "./db/repositories.js";
import { isMigrated } from "./db/schema-state.js";
import { EventRelay } from "./events/relay.js";
import { HostwindsClient } from "./hostwinds/client.js";
import { RedisRateGate } from "./hostwinds/rate-gate.js";
import { openDatabase, openHostwindsAgent, openRedis } from "./infrastructure.js";
import type { JobContext } from "./jobs/context.js";
import { JOB_NAMES, QUEUE_NAME, RECONCILE_SCHEDULER_ID, VIEWS_REFRESH_SCHEDULER_ID } from "./jobs/definitions.js";
import { SCHEDULED_RECONCILE_JOB_OPTIONS, VIEWS_REFRESH_EVERY_MS } from "./jobs/job-options.js";
import { createProcessor } from "./jobs/processor.js";
import { CostSyncProducer, openQueue } from "./jobs/producer.js";
import { createLogger, type Logger } from "./logger.js";
import { createAnalytics } from "./ops/analytics.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { startOpsServer } from "./ops/server.js";
import { Resources } from "./resources.js";

/** Knobs tests, the demo and the benchmark turn; production uses the defaults. */
export interface RuntimeOptions {
  logger?: Logger;
  relaySweepMs?: number;
  attributionRefreshDelayMs?: number;
  reconcileConcurrency?: number;
  /** Start the ops HTTP server (default true). */
  ops?: boolean;
}

export interface Runtime {
  cfg: Config;
  db: Db;
  /** The pg pool under Prisma. */
  pool: pg.Pool;
  queue: Queue;
  worker: Worker;
  producer: CostSyncProducer;
  hostwinds: HostwindsClient;
  log: Logger;
  opsUrl: string | undefined;
  /** Stops taking jobs, lets active ones finish (up to SHUTDOWN_TIMEOUT_MS), closes everything. Idempotent. */
  close(): Promise<void>;
}

export class NotMigratedError extends Error {
  override name = "NotMigratedError";
  constructor() {
    super("the database is not migrated for cost-sync: run `npx cost-sync migrate` (then `npx cost-sync verify`)");
  }
}

/**
 * The composition root: the one place that assembles the worker. Every client comes from the
 * infrastructure factory and is registered on one stack of resources, so a start that fails
 * half-way closes what it opened, and shutdown closes everything in reverse order.
 */
export async function startRuntime(cfg: Config, o: RuntimeOptions = {}): Promise<Runtime> {
  const log = o.logger ?? createLogger(cfg.LOG_LEVEL);
  const res = new Resources();
  try {
    return await assemble(cfg, o, log, res);
  } catch (err) {
    await res.close();
    throw err;
  }
}

async function assemble(cfg: Config, o: RuntimeOptions, log: Logger, res: Resources): Promise<Runtime> {
  const { db, pool } = openDatabase(res, cfg.DATABASE_URL, { poolSize: Math.max(4, cfg.WORKER_CONCURRENCY + 2) });
  if (!(await isMigrated(db))) throw new NotMigratedError();
  const metrics = createMetrics();
  const analytics = res.add("analytics", await createAnalytics(cfg.POSTHOG_API_KEY, cfg.POSTHOG_HOST, log), (a) =>
    a.close(),
  );
  const workerRedis = openRedis(res, cfg.REDIS_URL, "worker");
  const queueRedis = openRedis(res, cfg.REDIS_URL, "queue");
  for (const r of [workerRedis, queueRedis])
    r.on("error", (err) => log.warn({ err: { message: err.message } }, "redis error"));
  const hostwinds = openHostwinds(res, cfg, { gateRedis: queueRedis, log, metrics });
  const queue = openQueue(res, queueRedis, cfg.QUEUE_PREFIX);
  queue.on("error", (err) => log.warn({ err }, "queue error"));
  const producer = new CostSyncProducer(queue);
  const ctx: JobContext = {
    cfg,
    repos: createRepositories(db),
    hostwinds,
    producer,
    metrics,
    analytics,
    attributionRefreshDelayMs: o.attributionRefreshDelayMs ?? 1000,
    reconcileConcurrency: o.reconcileConcurrency ?? cfg.RECONCILE_CONCURRENCY,
  };
  await registerSchedulers(queue, cfg);
  const health = { redis: () => queueRedis.ping(), postgres: () => isMigrated(db) };
  const { worker, opsUrl } = await startServices(res, cfg, o, {
    ctx,
    queue,
    log,
    producer,
    workerRedis,
    pool,
    health,
  });
  log.info(
    { queue: QUEUE_NAME, prefix: cfg.QUEUE_PREFIX, ops: opsUrl, concurrency: cfg.WORKER_CONCURRENCY },
    "worker started",
  );
  const close = async () => {
    log.info("shutting down: no new jobs; waiting for active ones");
    for (const failure of await res.close()) log.warn({ err: failure }, "shutdown step failed");
    log.info("shut down");
  };
  return { cfg, db, pool, queue, worker, producer, hostwinds, log, opsUrl, close };
}

/** The Hostwinds client, on its own agent, sharing the request budget of every worker through Redis. */
function openHostwinds(
  res: Resources,
  cfg: Config,
  o: { gateRedis: Redis; log: Logger; metrics: Metrics },
): HostwindsClient {
  return new HostwindsClient({
    url: cfg.HOSTWINDS_API_URL,
    apiKey: cfg.HOSTWINDS_API_KEY,
    dispatcher: openHostwindsAgent(res, { connectTimeoutMs: Math.min(cfg.HOSTWINDS_TIMEOUT_MS, 10_000) }),
    timeoutMs: cfg.HOSTWINDS_TIMEOUT_MS,
    gate:
      cfg.HOSTWINDS_REQUESTS_PER_SECOND === 0
        ? undefined
        : new RedisRateGate(o.gateRedis, cfg.QUEUE_PREFIX, cfg.HOSTWINDS_REQUESTS_PER_SECOND),
    logger: o.log.child({ component: "hostwinds" }),
    onAttempt: (action, outcome) => o.metrics.hostwindsRequests.inc({ action, outcome }),
  });
}

/** What starts taking work once everything else is open: the worker, the event relay and the ops server. */
async function startServices(
  res: Resources,
  cfg: Config,
  o: RuntimeOptions,
  parts: {
    ctx: JobContext;
    queue: Queue;
    log: Logger;
    producer: CostSyncProducer;
    workerRedis: Redis;
    pool: pg.Pool;
    health: Record<string, () => Promise<unknown>>;
  },
): Promise<{ worker: Worker; opsUrl: string | undefined }> {
  const { ctx, queue, log } = parts;
  const worker = res.add("worker", startWorker(cfg, { ctx, queue, log, connection: parts.workerRedis }), (w) =>
    w.close(true),
  );
  const relay = new EventRelay({
    databaseUrl: cfg.DATABASE_URL,
    pool: parts.pool,
    producer: parts.producer,
    log: log.child({ component: "relay" }),
    sweepIntervalMs: o.relaySweepMs,
    viewsRefreshDelayMs: ctx.attributionRefreshDelayMs,
  });
  res.add("event relay", relay, (r) => r.close());
  await relay.start();
  const ops =
    o.ops === false ? undefined : await openOps(res, cfg, { queue, metrics: ctx.metrics, health: parts.health });
  // Shutdown begins here (the stack unwinds in reverse): first let active jobs finish, within the deadline.
  res.defer("worker (graceful)", () => drainWorker(worker, cfg.SHUTDOWN_TIMEOUT_MS, log));
  return { worker, opsUrl: ops?.url };
}

/** Upserting by a fixed id is idempotent: three workers starting at once leave one schedule of each. */
async function registerSchedulers(queue: Queue, cfg: Config): Promise<void> {
  await queue.upsertJobScheduler(
    RECONCILE_SCHEDULER_ID,
    { pattern: cfg.RECONCILE_CRON, tz: "UTC" },
    { name: JOB_NAMES.reconcile, data: { trigger: "schedule" }, opts: SCHEDULED_RECONCILE_JOB_OPTIONS },
  );
  await queue.upsertJobScheduler(
    VIEWS_REFRESH_SCHEDULER_ID,
    { every: VIEWS_REFRESH_EVERY_MS },
    { name: JOB_NAMES.refreshAttribution, data: { reason: "periodic refresh" } },
  );
}

function startWorker(
  cfg: Config,
  o: { ctx: JobContext; queue: Queue; log: Logger; connection: Worker["opts"]["connection"] },
): Worker {
  const worker = new Worker(QUEUE_NAME, createProcessor(o.ctx, o.queue, o.log, QUEUE_NAME), {
    connection: o.connection,
    prefix: cfg.QUEUE_PREFIX,
    concurrency: cfg.WORKER_CONCURRENCY,
    // A crashed worker's job is picked up again once its lock expires.
    lockDuration: cfg.WORKER_LOCK_DURATION_MS,
    stalledInterval: cfg.WORKER_LOCK_DURATION_MS,
    maxStalledCount: 5,
    autorun: true,
  });
  worker.on("error", (err) => o.log.warn({ err }, "worker error"));
  return worker;
}

/** Stops taking jobs and waits for the active ones, up to the deadline; past it they are left to be retried. */
async function drainWorker(worker: Worker, timeoutMs: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
  try {
    if ((await Promise.race([worker.close(), deadline])) === "timeout") {
      log.warn({ timeoutMs }, "active jobs did not finish in time; they will be retried");
      await worker.close(true);
    }
  } finally {
    clearTimeout(timer);
  }
}

async function openOps(
  res: Resources,
  cfg: Config,
  o: { queue: Queue; metrics: ReturnType<typeof createMetrics>; health: Record<string, () => Promise<unknown>> },
) {
  const board =
    cfg.BULL_BOARD_USER && cfg.BULL_BOARD_PASSWORD
      ? { user: cfg.BULL_BOARD_USER, password: cfg.BULL_BOARD_PASSWORD }
      : undefined;
  const ops = await startOpsServer({
    host: cfg.OPS_HOST,
    port: cfg.OPS_PORT,
    queues: [o.queue],
    registry: o.metrics.registry,
    health: o.health,
    board,
  });
  return res.add("ops server", ops, (s) => s.close());
}
