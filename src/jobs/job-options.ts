import type { JobsOptions } from "bullmq";

/**
 * Every job's options, in one place. Retention on every job (BullMQ's production guide); retries
 * are the job layer's (docs/architecture.md, "Retry layering").
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

/** A reconciliation resumes from its cursor, so more attempts cost little. Asked for by a person: the default backoff. */
export const RECONCILE_JOB_OPTIONS: JobsOptions = { attempts: 10 };

/** The monthly one runs unattended: it backs off longer, to outlast an outage. */
export const SCHEDULED_RECONCILE_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: "exponential", delay: 30_000 },
};

/** The views' periodic refresh: they also age by the calendar (the 30-day usage window). */
export const VIEWS_REFRESH_EVERY_MS = 10 * 60_000;

/**
 * The daily price watch, UTC: a catalogue price change is seen within a day (the design document
 * asks for detection within 24 hours), at the cost of one call a day plus one per changed plan.
 */
export const PRICE_WATCH_CRON = "17 4 * * *";
