import { z } from "zod";
import type { BusinessFigures } from "../db/read-models/status.js";

/** The BullMQ job states the queue gauge reports: a fixed set, so the `state` label stays bounded. */
export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/**
 * What `cost-sync status` shows, as the composition root reads it from Redis
 * and Postgres for the status gauges. Whole-fleet figures: never a tenant or a
 * resource id.
 */
export interface StatusSnapshot {
  /** Job counts by state; a state left out has no sample. */
  queue: Partial<Record<QueueState, number>>;
  /** Jobs that gave up (they wait for `retry-failed`). */
  failedJobs: number;
  /** VPS whose cost could not be priced (they keep their previous cost). */
  unpricedVps: number;
  /** Cost anomalies not yet dealt with. */
  openAnomalies: number;
  /** When the attribution behind the executive views was last recomputed; null = never. */
  attributionRefreshedAt: Date | null;
  /** `system_config` `cost_sync.last_successful_reconciliation`; null = never. */
  lastSuccessfulReconciliationAt: Date | null;
  /**
   * Hostwinds instances cost-sync does not model, and their monthly cost as an
   * exact decimal string; null or absent = not computed.
   */
  untracked?: { instances: number; monthlyUsd: string } | null;
  /** VPS rows whose serviceid Hostwinds does not list as live; null or absent = not checked. */
  ghostRows?: number | null;
  /** Budgets in force this month by status (docs/forecast.md); absent = not read. */
  budgets?: Record<BudgetStatusName, number> | null;
  /** The latest completed price watch: when, and the catalogue price changes it found; null or absent = none. */
  priceWatch?: { lastAt: Date; changes: number } | null;
  /** The business alerts' figures (exact decimal strings); absent = not read. */
  business?: BusinessFigures | null;
}

/** A budget's status: a fixed set, so the `status` label stays bounded. */
export const BUDGET_STATUSES = ["ok", "at_risk", "over"] as const;
export type BudgetStatusName = (typeof BUDGET_STATUSES)[number];

/** A snapshot checked and reduced to plain numbers, ready for the gauges. */
export interface CheckedSnapshot {
  queue: Partial<Record<QueueState, number>>;
  failedJobs: number;
  unpricedVps: number;
  openAnomalies: number;
  attributionRefreshedAt: Date | null;
  lastSuccessfulReconciliationAt: Date | null;
  untracked: { instances: number; monthlyUsd: number } | null;
  ghostRows: number | null;
  budgets: Record<BudgetStatusName, number> | null;
  priceWatch: { lastAt: Date; changes: number } | null;
  business: CheckedBusiness | null;
}

/** The business figures as numbers for the gauges; null = nothing to show (no sample). */
export interface CheckedBusiness {
  fallenToMonitor: number | null;
  fallenToCritical: number | null;
  negativeMarginTenants: number;
  fleetModelledCostUsd: number | null;
  fleetRevenueUsd: number | null;
  fleetMarginUsd: number | null;
  invoiceMonthStart: number | null;
  invoiceAccuracy: number | null;
  invoicedUsd: number | null;
  lastClosedMonthStart: number | null;
  previousMonthClosed: boolean;
  fleetForecastUsd: number | null;
}

// Counts straight from SQL arrive as bigint (count(*)) however the provider is typed; a bigint would make
// prom-client throw and fail the whole scrape, so both are accepted and anything else is a failed read.
const count = z.union([z.number(), z.bigint()]).transform(Number).pipe(z.number().int().nonnegative());

// Exact decimal strings from SQL (a margin may be negative); a blank or "NaN" is a failed read, never 0.
const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, "an exact decimal string")
  .transform(Number);
// A calendar day from SQL (YYYY-MM-DD), as the Unix time of its UTC midnight.
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .transform((d) => Date.parse(`${d}T00:00:00Z`) / 1000);

const schema = z.object({
  queue: z.object({
    waiting: count.optional(),
    active: count.optional(),
    delayed: count.optional(),
    prioritized: count.optional(),
    failed: count.optional(),
    completed: count.optional(),
  } satisfies Record<QueueState, unknown>),
  failedJobs: count,
  unpricedVps: count,
  openAnomalies: count,
  attributionRefreshedAt: z.date().nullable(),
  lastSuccessfulReconciliationAt: z.date().nullable(),
  untracked: z
    .object({
      instances: count,
      // Strict: Number("") is 0, and a blank must not read as "nothing untracked".
      monthlyUsd: z
        .string()
        .regex(/^\d+(\.\d+)?$/, "an exact non-negative decimal string")
        .transform(Number),
    })
    .nullish()
    .transform((u) => u ?? null),
  ghostRows: count.nullish().transform((n) => n ?? null),
  budgets: z
    .object({ ok: count, at_risk: count, over: count })
    .nullish()
    .transform((b) => b ?? null),
  priceWatch: z
    .object({ lastAt: z.date(), changes: count })
    .nullish()
    .transform((p) => p ?? null),
  business: z
    .object({
      fallenToMonitor: count.nullable(),
      fallenToCritical: count.nullable(),
      negativeMarginTenants: count,
      fleetModelledCostUsd: decimal.nullable(),
      fleetRevenueUsd: decimal.nullable(),
      fleetMarginUsd: decimal.nullable(),
      invoiceMonth: day.nullable(),
      invoiceAccuracy: decimal.nullable(),
      invoicedUsd: decimal.nullable(),
      lastClosedMonth: day.nullable(),
      previousMonthClosed: z.boolean(),
      // Optional: a provider from before the forecast gauge has no sample for it, not a failed read.
      fleetForecastUsd: decimal.nullish().transform((v) => v ?? null),
    })
    .transform(({ invoiceMonth, lastClosedMonth, ...b }) => ({
      ...b,
      invoiceMonthStart: invoiceMonth,
      lastClosedMonthStart: lastClosedMonth,
    }))
    .nullish()
    .transform((b) => b ?? null),
});

/** Checks a provider's snapshot; throws (a failed status read) when it does not hold what the gauges need. */
export function checkSnapshot(input: unknown): CheckedSnapshot {
  return schema.parse(input);
}
