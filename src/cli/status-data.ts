import type { CappedList } from "../capped-list.js";
import { readLastAuthFailure, type AuthFailure } from "../hostwinds/auth-record.js";
import { RECONCILE_SCHEDULER_ID } from "../jobs/definitions.js";
import type { CliSession } from "../runtime.js";
import { readDatabaseStatus, type DatabaseStatus } from "../services/status-report.js";
import { advise } from "./advice.js";

/** How many rows of each list `status` shows; every list comes with its total. */
const STATUS_LIST_LIMIT = 50;
const FAILED_JOBS_LIMIT = 20;

/** A service that answered, or the advice for the one that did not. */
export type Reachability = { ok: true } | { ok: false; error: string };

/** What Redis says; null where it could not be read. */
interface QueueStatus {
  redis: Reachability;
  queue: Record<string, number> | null;
  workers: number | null;
  failedJobs: CappedList<Record<string, unknown>> | null;
  nextReconciliation: string | null;
  /** The last time Hostwinds refused the key, not yet followed by an accepted answer. */
  hostwindsKeyRefused: AuthFailure | null;
}

/** What PostgreSQL says; null where it could not be read. */
type DatabaseReading = DatabaseStatus & { postgres: Reachability };

export type StatusReport = QueueStatus & DatabaseReading;

/** Everything `status` shows, in the shape `--json` prints; what an unreachable service would have said is null. */
export async function gatherStatus(s: CliSession): Promise<StatusReport> {
  const [redis, db] = await Promise.all([readQueue(s), readDatabase(s)]);
  return { ...redis, ...db };
}

/** What BullMQ says about the queue; with Redis unreachable, the advice in place of the figures. */
async function readQueue(s: CliSession): Promise<QueueStatus> {
  try {
    const producer = await s.producer();
    const q = producer.queue;
    const queue = await q.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
    const failed = (await q.getFailed(0, FAILED_JOBS_LIMIT - 1)).map((j) => ({
      id: j.id,
      name: j.name,
      data: JSON.stringify(j.data),
      attempts: j.attemptsMade,
      reason: j.failedReason,
    }));
    const sched = (await q.getJobSchedulers()).find((x) => x.key === RECONCILE_SCHEDULER_ID);
    const refused = producer.redis ? await readLastAuthFailure(producer.redis, s.cfg.QUEUE_PREFIX) : null;
    return {
      redis: { ok: true },
      queue,
      workers: await q.getWorkersCount(),
      failedJobs: { total: queue.failed ?? failed.length, shown: failed },
      nextReconciliation: sched?.next ? new Date(sched.next).toISOString() : null,
      hostwindsKeyRefused: refused,
    };
  } catch (e) {
    const redis: Reachability = { ok: false, error: advise(e, { redisUrl: s.cfg.REDIS_URL }) };
    return { redis, queue: null, workers: null, failedJobs: null, nextReconciliation: null, hostwindsKeyRefused: null };
  }
}

/** What PostgreSQL says; with it unreachable (or not migrated), the advice in place of the figures. */
async function readDatabase(s: CliSession): Promise<DatabaseReading> {
  try {
    const figures = await readDatabaseStatus(s.db, { limit: STATUS_LIST_LIMIT, describeError: (e) => advise(e) });
    return { postgres: { ok: true }, ...figures };
  } catch (e) {
    return {
      postgres: { ok: false, error: advise(e, { databaseUrl: s.cfg.DATABASE_URL }) },
      ipConstantUsd: null,
      lastSuccessfulReconciliation: null,
      latestRun: null,
      attributionRefreshedAt: null,
      unpriced: null,
      duplicateServiceIds: null,
      catalogueMismatches: null,
      untracked: null,
      budgetsAtRisk: null,
      priceWatch: null,
    };
  }
}
