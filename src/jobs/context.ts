import type { Job } from "bullmq";
import type { Config } from "../config/env.js";
import type { Repositories } from "../db/repositories.js";
import type { CatalogueSource } from "../hostwinds/catalogue-cache.js";
import type { HostwindsClient } from "../hostwinds/client.js";
import type { PlanStore } from "../hostwinds/plan-map.js";
import type { Logger } from "../logger.js";
import type { Digest } from "../services/digest/digest.js";
import type { Analytics } from "../ops/analytics.js";
import type { Metrics } from "../ops/metrics.js";
import type { SavingsService } from "../services/savings/service.js";
import type { JobName, JobPayloads, JobResult } from "./definitions.js";
import type { CostSyncProducer } from "./producer.js";

/** The Hostwinds calls jobs make (the client, or a fake in unit specs). */
export type HostwindsReader = Pick<
  HostwindsClient,
  "getInstance" | "getInstances" | "getPriceList" | "getBillingCyclePrices" | "checkUpgradeOrder"
>;

/** The follow-up work jobs enqueue. */
export type FollowUps = Pick<CostSyncProducer, "enqueueAttributionRefresh" | "enqueueVpsCostSync">;

/** Everything a handler may use, built once by the composition root. Handlers never create clients. */
export interface JobContext {
  cfg: Config;
  repos: Repositories;
  /** Hostwinds for event syncs: first in line at the shared request budget. */
  hostwinds: HostwindsReader;
  /** Hostwinds for bulk work (reconciliations): takes only the budget no event is waiting for. */
  hostwindsBulk: HostwindsReader;
  /** The price catalogue every worker shares. */
  catalogue: CatalogueSource;
  /** Each plan group's learned plan (see src/pricing/catalogue.ts). */
  plans: PlanStore;
  producer: FollowUps;
  metrics: Metrics;
  analytics: Analytics;
  /** How long after a cost change the attribution behind the views is recomputed. */
  attributionRefreshDelayMs: number;
  /** Parallel Hostwinds requests inside one reconciliation chunk. */
  reconcileConcurrency: number;
  /** Aborted when the worker is asked to stop: long jobs hand over at their next safe point. */
  shutdown: AbortSignal;
  /** Savings, recomputed after each completed reconciliation (docs/savings.md); absent in unit specs. */
  savings?: Pick<SavingsService, "afterReconciliation">;
  /**
   * Recomputes the stored forecasts (executive_cost_forecast, executive_budget_status, the budget
   * gauges): run with the periodic refresh. Absent in contexts that have no forecast (unit tests).
   */
  refreshForecasts?: () => Promise<number>;
  /** Builds, posts and records the digest (src/services/digest/); absent in unit-test contexts. */
  postDigest?: (webhookUrl: string, trigger: "schedule" | "manual") => Promise<Digest>;
}

/**
 * The key a job's writes are recorded under (cost_history.job_id, cost_reconciliation_runs.job_id):
 * the same on every retry of the job, and never an older job's. BullMQ's id alone is not enough:
 * its counter starts again at 1 when Redis loses its data, and "job 17" would then find the
 * history and the completed run of a different job 17.
 */
export const jobKey = (job: Pick<Job, "id" | "timestamp">): string =>
  `${job.id ?? "?"}@${new Date(job.timestamp).toISOString()}`;

/** Whether an earlier attempt of this job may have written something (a failed or stalled attempt). */
export const mayHaveRunBefore = (job: Pick<Job, "attemptsMade" | "stalledCounter">): boolean =>
  job.attemptsMade > 0 || job.stalledCounter > 0;

/** The parts of a BullMQ job a handler reads (a plain object in unit specs). */
export type JobInfo = Pick<Job, "id" | "timestamp" | "attemptsMade" | "stalledCounter" | "updateProgress">;

export interface JobDefinition<N extends JobName> {
  name: N;
  handle(ctx: JobContext, data: JobPayloads[N], job: JobInfo, log: Logger): Promise<JobResult>;
}

/** The registry type: one definition per job name, checked at compile time. */
export type JobRegistry = { [N in JobName]: JobDefinition<N> };
