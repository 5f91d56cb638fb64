import { postDigest } from "./services/digest/post-digest.js";
import { refreshStoredForecasts } from "./services/forecast/stored-forecasts.js";
import type { Queue, Worker } from "bullmq";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type pg from "pg";
import { ConfigError, type Config } from "./config/env.js";
import { isLoopbackUrl } from "./config/fields.js";
import type { Db } from "./db/client.js";
import { createRepositories } from "./db/repositories.js";
import { createCommandRepositories, type CommandRepositories } from "./db/command-repositories.js";
import { isMigrated } from "./migrator/schema-state.js";
import { EventRelay } from "./events/relay.js";
import type { HostwindsClient } from "./hostwinds/client.js";
import { RedisCatalogue } from "./hostwinds/catalogue-cache.js";
import { RedisPlanMap } from "./hostwinds/plan-map.js";
import { maxCents } from "./cost-columns.js";
import { openBudgetedHostwinds, openDatabase, openRedis } from "./infrastructure.js";
import { operatorOf } from "./operator.js";
import { createSavingsService, type SavingsService } from "./services/savings/service.js";
import { resolveTenant } from "./services/tenants/resolve-tenant.js";
import { savingsGauges } from "./db/savings/read-store.js";
import type { JobContext } from "./jobs/context.js";
import { QUEUE_NAME } from "./jobs/definitions.js";
import { CostSyncProducer, createProducer, openQueue } from "./jobs/producer.js";
import { createLogger, type Logger } from "./logger.js";
import { createAnalytics } from "./ops/analytics.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { statusReader } from "./ops/status-reader.js";
import { Resources } from "./resources.js";
import {
  drainWorker,
  healthChecks,
  openHostwinds,
  openOps,
  registerSchedulers,
  startWorker,
} from "./worker-services.js";

/** Knobs tests, the demo and the benchmark turn; production uses the defaults. */
export interface RuntimeOptions {
  logger?: Logger;
  relaySweepMs?: number;
  /** Reconnection backoff of the relay's LISTEN connection. */
  relayListenBackoff?: { minMs: number; maxMs: number };
  attributionRefreshDelayMs?: number;
  reconcileConcurrency?: number;
  /** Start the ops HTTP server (default true). */
  ops?: boolean;
  /** Told the ops server's URL as soon as it listens (before the worker waits for Redis). */
  onOpsListening?: (url: string) => void;
  /** How old the status gauges' read may be before a scrape reads again (default 15 s). */
  statusMaxAgeMs?: number;
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

/** The worker needs a Hostwinds key, unless it is pointed at a loopback simulator. */
export function requireHostwindsKey(cfg: Config): void {
  if (cfg.HOSTWINDS_API_KEY || isLoopbackUrl(cfg.HOSTWINDS_API_URL)) return;
  throw new ConfigError([
    {
      variable: "HOSTWINDS_API_KEY",
      message: "is required to run the worker (only a loopback simulator may be used without one)",
    },
  ]);
}

/**
 * The composition root: the one place that assembles the worker. Every client comes from the
 * infrastructure factory and is registered on one stack of resources, so a start that fails
 * half-way closes what it opened, and shutdown closes everything in reverse order.
 */
export async function startRuntime(cfg: Config, o: RuntimeOptions = {}): Promise<Runtime> {
  requireHostwindsKey(cfg);
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
  const workerRedis = openRedis(res, cfg.REDIS_URL, "worker", { log });
  const queueRedis = openRedis(res, cfg.REDIS_URL, "queue", { log });
  const queue = openQueue(res, queueRedis, cfg.QUEUE_PREFIX);
  const metrics = createMetrics({
    readStatus: statusReader(queue, db),
    readSavings: () => savingsGauges(db, 24),
    statusMaxAgeMs: o.statusMaxAgeMs,
    onStatusReadError: (err) => log.warn({ err }, "status gauges: read failed"),
  });
  // The ops port opens before anything waits for Redis: /healthz then says what is down.
  const health = healthChecks(cfg, { db, redis: queueRedis });
  const ops = o.ops === false ? undefined : await openOps(res, cfg, { queue, metrics, health, db, log });
  if (ops) o.onOpsListening?.(ops.url);
  const { ctx, producer, hostwinds, stopping } = await jobContext(res, cfg, o, { db, queue, queueRedis, metrics, log });
  await registerSchedulers(queue, cfg); // waits for Redis
  const worker = res.add("worker", startWorker(cfg, { ctx, queue, log, connection: workerRedis }), (w) =>
    w.close(true),
  );
  const relay = new EventRelay({
    databaseUrl: cfg.DATABASE_URL,
    pool,
    producer,
    log: log.child({ component: "relay" }),
    sweepIntervalMs: o.relaySweepMs,
    listenBackoff: o.relayListenBackoff,
    viewsRefreshDelayMs: ctx.attributionRefreshDelayMs,
  });
  res.add("event relay", relay, (r) => r.close());
  await relay.start();
  // Shutdown begins here (the stack unwinds in reverse): first let active jobs finish, within the deadline.
  res.defer("worker (graceful)", () => drainWorker(worker, { timeoutMs: cfg.SHUTDOWN_TIMEOUT_MS, stopping, log }));
  log.info(
    { queue: QUEUE_NAME, prefix: cfg.QUEUE_PREFIX, ops: ops?.url, concurrency: cfg.WORKER_CONCURRENCY },
    "worker started",
  );
  const close = async () => {
    log.info("shutting down: no new jobs; waiting for active ones");
    for (const failure of await res.close()) log.warn({ err: failure }, "shutdown step failed");
    log.info("shut down");
  };
  return { cfg, db, pool, queue, worker, producer, hostwinds, log, opsUrl: ops?.url, close };
}

/** Everything a job handler may use (see JobContext), and the switch that asks long jobs to stop. */
async function jobContext(
  res: Resources,
  cfg: Config,
  o: RuntimeOptions,
  parts: { db: Db; queue: Queue; queueRedis: Redis; metrics: Metrics; log: Logger },
) {
  const { db, queue, queueRedis, metrics, log } = parts;
  const analytics = res.add("analytics", await createAnalytics(cfg.POSTHOG_API_KEY, cfg.POSTHOG_HOST, log), (a) =>
    a.close(),
  );
  const { hostwinds, hostwindsBulk } = openHostwinds(res, cfg, { gateRedis: queueRedis, log, metrics });
  const producer = new CostSyncProducer(queue);
  // Aborted when shutdown begins: a reconciliation hands over at its next chunk boundary.
  const stopping = new AbortController();
  const ctx: JobContext = {
    cfg,
    repos: createRepositories(db),
    hostwinds,
    hostwindsBulk,
    // Redis prices pass the bounds Hostwinds prices pass: what approximate_cost holds.
    catalogue: new RedisCatalogue(queueRedis, cfg.QUEUE_PREFIX, {
      ttlSeconds: cfg.HOSTWINDS_CATALOGUE_TTL_SECONDS,
      maxMonthlyCents: maxCents("vps"),
      log,
    }),
    plans: new RedisPlanMap(queueRedis, cfg.QUEUE_PREFIX, { maxMonthlyCents: maxCents("vps"), log }),
    producer,
    metrics,
    analytics,
    attributionRefreshDelayMs: o.attributionRefreshDelayMs ?? 1000,
    reconcileConcurrency: o.reconcileConcurrency ?? cfg.RECONCILE_CONCURRENCY,
    shutdown: stopping.signal,
    savings: createSavingsService({
      db,
      hostwinds: () => Promise.resolve(hostwindsBulk),
      idleDays: cfg.SAVINGS_IDLE_DAYS,
      operator: operatorOf(cfg),
      concurrency: o.reconcileConcurrency ?? cfg.RECONCILE_CONCURRENCY,
      resolveTenant: () => Promise.reject(new Error("the worker names no tenant")),
    }),
    refreshForecasts: () => refreshStoredForecasts(db),
    postDigest: (webhookUrl, trigger) => postDigest(db, { webhookUrl, trigger }),
  };
  return { ctx, producer, hostwinds, stopping };
}

/**
 * What a one-shot CLI command opens, assembled here from the same factory as the worker: the
 * database with the repositories the use cases (src/services) take, and, only if it needs to
 * enqueue, a fail-fast producer. Everything is closed by `close()`.
 */
export class CliSession {
  readonly #res = new Resources();
  readonly db: Db;
  /** The pg pool under Prisma, for reports (which read their column names from the result). */
  readonly pool: pg.Pool;
  /** What the use cases (src/services) read and write, bound to this session's database. */
  readonly repos: CommandRepositories;
  /** Job id recorded in cost_history for changes made directly by this command. */
  readonly changeId = `cli-${randomUUID()}`;
  #producer: Promise<CostSyncProducer> | undefined;

  constructor(readonly cfg: Config) {
    ({ db: this.db, pool: this.pool } = openDatabase(this.#res, cfg.DATABASE_URL, { poolSize: 2 }));
    this.repos = createCommandRepositories(this.db);
  }

  producer(): Promise<CostSyncProducer> {
    this.#producer ??= createProducer({ redisUrl: this.cfg.REDIS_URL, prefix: this.cfg.QUEUE_PREFIX }).then((p) => {
      this.#res.add("producer", p, (x) => x.close());
      return p.producer;
    });
    return this.#producer;
  }

  /** The savings use cases; Hostwinds (the workers' shared budget) is opened only when a refresh needs it. */
  savings(): SavingsService {
    const cfg = this.cfg;
    let hostwinds: ReturnType<typeof openBudgetedHostwinds> | undefined;
    return createSavingsService({
      db: this.db,
      hostwinds: () => (hostwinds ??= openBudgetedHostwinds(this.#res, cfg)),
      idleDays: cfg.SAVINGS_IDLE_DAYS,
      operator: operatorOf(cfg),
      concurrency: cfg.RECONCILE_CONCURRENCY,
      resolveTenant: (text) => resolveTenant(this.db, text),
    });
  }

  async close(): Promise<void> {
    await this.#producer?.catch(() => undefined);
    await this.#res.close();
  }
}

/** Runs `fn` with a CLI session and closes it afterwards, whatever happens. */
export async function withSession<T>(cfg: Config, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const s = new CliSession(cfg);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
