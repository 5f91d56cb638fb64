import { budgetsAtRisk, type BudgetAtRisk } from "../db/read-models/budgets.js";
import { attributionRefreshedAt } from "../db/writes/attribution.js";
import { runMismatches, type CatalogueMismatch } from "../db/writes/run-groups.js";
import { latestRun, type RunSummary } from "../db/writes/runs.js";
import { getIpConstantCents, getLastReconciliation } from "../db/writes/settings.js";
import {
  duplicateServiceIds,
  listUnpricedVps,
  statusFigures,
  type DuplicateServiceId,
  type UnpricedVps,
} from "../db/read-models/status.js";
import { readLastAuthFailure, type AuthFailure } from "../hostwinds/auth-record.js";
import { RECONCILE_SCHEDULER_ID } from "../jobs/definitions.js";
import { formatCents } from "../money.js";
import { advise } from "./advice.js";
import type { CliSession } from "./session.js";
import { readUntrackedStatus, type UntrackedStatus } from "./untracked-status.js";
import { latestPriceWatch } from "../db/read-models/price-watch.js";

/** How many rows of each list `status` shows; every list comes with its total. */
export const STATUS_LIST_LIMIT = 50;
const FAILED_JOBS_LIMIT = 20;

/** A service that answered, or the advice for the one that did not. */
export type Reachability = { ok: true } | { ok: false; error: string };

/** A capped list and how many there are in all. */
export interface Capped<T> {
  total: number;
  shown: T[];
}

/** What Redis says; null where it could not be read. */
interface QueueStatus {
  redis: Reachability;
  queue: Record<string, number> | null;
  workers: number | null;
  failedJobs: Capped<Record<string, unknown>> | null;
  nextReconciliation: string | null;
  /** The last time Hostwinds refused the key, not yet followed by an accepted answer. */
  hostwindsKeyRefused: AuthFailure | null;
}

/** What PostgreSQL says; null where it could not be read. */
interface DatabaseStatus {
  postgres: Reachability;
  ipConstantUsd: string | null;
  lastSuccessfulReconciliation: { completedAt: Date; runId: string; ageHours: number } | null;
  latestRun: RunSummary | null;
  attributionRefreshedAt: Date | null;
  unpriced: Capped<UnpricedVps> | null;
  duplicateServiceIds: Capped<DuplicateServiceId> | null;
  /** Members of the latest run whose own price disagreed with their group's catalogue price. */
  catalogueMismatches: Capped<CatalogueMismatch> | null;
  /** Untracked spend and ghost rows of the latest completed run that checked (null: none has, or unreadable). */
  untracked: UntrackedStatus | null;
  /** Budgets at risk or over this month (docs/forecast.md); null when unreadable. */
  budgetsAtRisk: Capped<BudgetAtRisk> | null;
  /** The latest price watch and the catalogue price changes it found (null: never ran, or unreadable). */
  priceWatch: Awaited<ReturnType<typeof latestPriceWatch>>;
}

export type StatusReport = QueueStatus & DatabaseStatus;

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
async function readDatabase(s: CliSession): Promise<DatabaseStatus> {
  try {
    const figures = await statusFigures(s.db);
    const last = await getLastReconciliation(s.db);
    const ageHours = (at: Date) => Number(((Date.now() - at.getTime()) / 3_600_000).toFixed(1));
    const run = (await latestRun(s.db)) ?? null;
    return {
      postgres: { ok: true },
      ipConstantUsd: await getIpConstantCents(s.db).then(formatCents, (e: unknown) => `INVALID: ${advise(e)}`),
      lastSuccessfulReconciliation: last ? { ...last, ageHours: ageHours(last.completedAt) } : null,
      latestRun: run,
      attributionRefreshedAt: await attributionRefreshedAt(s.db),
      unpriced: { total: figures.unpricedVps, shown: await listUnpricedVps(s.db, STATUS_LIST_LIMIT) },
      duplicateServiceIds: await duplicateServiceIds(s.db, STATUS_LIST_LIMIT),
      catalogueMismatches: run ? await runMismatches(s.db, run.id, STATUS_LIST_LIMIT) : { total: 0, shown: [] },
      untracked: await readUntrackedStatus(s.db, STATUS_LIST_LIMIT),
      budgetsAtRisk: await budgetsAtRisk(s.db, STATUS_LIST_LIMIT),
      priceWatch: await latestPriceWatch(s.db),
    };
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
