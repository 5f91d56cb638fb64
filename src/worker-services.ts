import { Worker, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "./config/env.js";
import { isLoopbackUrl } from "./config/fields.js";
import type { Db } from "./db/client.js";
import { AuthFailureRecorder, describeAuthFailure, readLastAuthFailure } from "./hostwinds/auth-record.js";
import { HostwindsClient } from "./hostwinds/client.js";
import { RedisRateGate, type Lane } from "./hostwinds/rate-gate.js";
import { isMigrated, ping } from "./migrator/schema-state.js";
import type { JobContext } from "./jobs/context.js";
import { PERIODIC_REFRESH } from "./jobs/refresh-attribution.job.js";
import {
  DIGEST_SCHEDULER_ID,
  JOB_NAMES,
  PRICE_WATCH_SCHEDULER_ID,
  QUEUE_NAME,
  RECONCILE_SCHEDULER_ID,
  VIEWS_REFRESH_SCHEDULER_ID,
} from "./jobs/definitions.js";
import {
  DIGEST_CRON,
  PRICE_WATCH_CRON,
  SCHEDULED_RECONCILE_JOB_OPTIONS,
  VIEWS_REFRESH_EVERY_MS,
} from "./jobs/job-options.js";
import { createProcessor } from "./jobs/processor.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./ops/metrics.js";
import { startOpsServer } from "./ops/server.js";
import { openHostwindsAgent } from "./infrastructure.js";
import type { Resources } from "./resources.js";
import { executivePages } from "./services/executive/executive-pages.js";

/** The parts of the worker the composition root starts once its clients are open. */

/** Upserting by a fixed id is idempotent: three workers starting at once leave one schedule of each. */
export async function registerSchedulers(queue: Queue, cfg: Config): Promise<void> {
  await queue.upsertJobScheduler(
    RECONCILE_SCHEDULER_ID,
    { pattern: cfg.RECONCILE_CRON, tz: "UTC" },
    { name: JOB_NAMES.reconcile, data: { trigger: "schedule" }, opts: SCHEDULED_RECONCILE_JOB_OPTIONS },
  );
  await queue.upsertJobScheduler(
    PRICE_WATCH_SCHEDULER_ID,
    { pattern: PRICE_WATCH_CRON, tz: "UTC" },
    { name: JOB_NAMES.priceWatch, data: { trigger: "schedule" } },
  );
  await queue.upsertJobScheduler(
    VIEWS_REFRESH_SCHEDULER_ID,
    { every: VIEWS_REFRESH_EVERY_MS },
    { name: JOB_NAMES.refreshAttribution, data: { reason: PERIODIC_REFRESH } },
  );
  // The digest is scheduled only while it has somewhere to go; unsetting the URL removes the schedule.
  if (cfg.DIGEST_WEBHOOK_URL)
    await queue.upsertJobScheduler(
      DIGEST_SCHEDULER_ID,
      { pattern: DIGEST_CRON, tz: "UTC" },
      { name: JOB_NAMES.digest, data: { trigger: "schedule" } },
    );
  else await queue.removeJobScheduler(DIGEST_SCHEDULER_ID);
}

export function startWorker(cfg: Config, o: { ctx: JobContext; queue: Queue; log: Logger; connection: Redis }): Worker {
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

/**
 * Shutdown's first step: tells long jobs to hand over at their next safe point, stops taking
 * jobs and waits for the active ones up to the deadline; past it they are left to be retried.
 */
export async function drainWorker(worker: Worker, o: { timeoutMs: number; stopping: AbortController; log: Logger }) {
  o.stopping.abort();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), o.timeoutMs)));
  try {
    if ((await Promise.race([worker.close(), deadline])) === "timeout") {
      o.log.warn({ timeoutMs: o.timeoutMs }, "active jobs did not finish in time; they will be retried");
      await worker.close(true);
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What /healthz checks: everything the worker needs to do its work. Each check throws a reason
 * when it fails; Redis is judged by its connection state first, so a down Redis answers at once.
 */
export function healthChecks(cfg: Config, o: { db: Db; redis: Redis }): Record<string, () => Promise<unknown>> {
  return {
    redis: async () => {
      if (o.redis.status !== "ready") throw new Error(`not connected (${o.redis.status})`);
      await o.redis.ping();
    },
    postgres: () => ping(o.db),
    schema: async () => {
      if (!(await isMigrated(o.db))) throw new Error("not migrated: run `cost-sync migrate`");
    },
    hostwindsKey: () => {
      if (!cfg.HOSTWINDS_API_KEY && !isLoopbackUrl(cfg.HOSTWINDS_API_URL))
        throw new Error("HOSTWINDS_API_KEY is not set");
      return Promise.resolve();
    },
    // Hostwinds refused the key and has accepted no request since (src/hostwinds/auth-record.ts).
    hostwindsAuth: async () => {
      if (o.redis.status !== "ready") return; // the redis check says so
      const refused = await readLastAuthFailure(o.redis, cfg.QUEUE_PREFIX);
      if (refused) throw new Error(describeAuthFailure(refused));
    },
  };
}

export async function openOps(
  res: Resources,
  cfg: Config,
  o: {
    queue: Queue;
    metrics: Metrics;
    health: Record<string, () => Promise<unknown>>;
    db: Db;
    log: Logger;
  },
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
    executivePages: executivePages(o.db),
    onPageError: (err) => o.log.warn({ err }, "executive page: could not render"),
  });
  return res.add("ops server", ops, (s) => s.close());
}

/**
 * The Hostwinds clients, on one agent, sharing the request budget of every worker through Redis:
 * one for event syncs, first in line, and one for bulk work, which yields to waiting events.
 */
export function openHostwinds(res: Resources, cfg: Config, o: { gateRedis: Redis; log: Logger; metrics: Metrics }) {
  const gate =
    cfg.HOSTWINDS_REQUESTS_PER_SECOND === 0
      ? undefined
      : new RedisRateGate(o.gateRedis, cfg.QUEUE_PREFIX, cfg.HOSTWINDS_REQUESTS_PER_SECOND);
  // The last refusal of the key, for `status` and /healthz (src/hostwinds/auth-record.ts).
  const authRecord = new AuthFailureRecorder(o.gateRedis, cfg.QUEUE_PREFIX, o.log);
  const dispatcher = openHostwindsAgent(res, {
    connectTimeoutMs: Math.min(cfg.HOSTWINDS_TIMEOUT_MS, 10_000),
    ipFamily: cfg.HOSTWINDS_IP_FAMILY,
  });
  const client = (lane: Lane) =>
    new HostwindsClient({
      url: cfg.HOSTWINDS_API_URL,
      apiKey: cfg.HOSTWINDS_API_KEY,
      dispatcher,
      timeoutMs: cfg.HOSTWINDS_TIMEOUT_MS,
      gate: gate?.forLane(lane),
      logger: o.log.child({ component: "hostwinds", lane }),
      onAttempt: (action, outcome, error) => {
        o.metrics.hostwindsRequests.inc({ action, outcome });
        if (outcome === "auth") o.metrics.hostwindsAuthFailures.inc();
        authRecord.attempt(action, outcome, error);
      },
    });
  return { hostwinds: client("event"), hostwindsBulk: client("bulk") };
}
