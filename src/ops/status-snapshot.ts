import { statusDay, statusDecimal, type BusinessFigures, type StatusFigures } from "../db/read-models/status.js";

export { BUDGET_STATUSES, type BudgetStatusName } from "../db/read-models/status.js";

/** The BullMQ job states the queue gauge reports: a fixed set, so the `state` label stays bounded. */
export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** The status figures a provider may leave out: absent or null = not read, no sample. */
type Optional = "untracked" | "ghostRows" | "budgets" | "priceWatch" | "business";

/**
 * What the status gauges show, as the composition root reads it (`statusReader`): the queue's job
 * counts from Redis and the status read model from PostgreSQL (`readStatusFigures`, the one `status`
 * reads too). Whole-fleet figures: never a tenant or a resource id.
 */
export type StatusSnapshot = {
  /** Job counts by state; a state left out has no sample. */
  queue: Partial<Record<QueueState, number>>;
  /** Jobs that gave up (they wait for `retry-failed`). */
  failedJobs: number;
} & Omit<StatusFigures, Optional> & { [K in Optional]?: StatusFigures[K] | null };

/**
 * A figure as a gauge takes it: a count (a provider's may be a bigint, SQL's count(*), on which prom-client
 * would throw and fail the whole scrape) or an exact decimal string (checked by the read), as a float.
 */
export const gaugeNumber = (v: number | bigint | string): number => Number(v);

/** The business figures that are amounts (exact decimal strings in the read model). */
const AMOUNTS = [
  "fleetModelledCostUsd",
  "fleetRevenueUsd",
  "fleetMarginUsd",
  "invoiceAccuracy",
  "invoicedUsd",
  "fleetForecastUsd",
] as const satisfies readonly (keyof BusinessFigures)[];

/**
 * The gauges turn amounts and days into numbers, and to Number() a blank is 0: so a snapshot whose amount
 * is not an exact decimal string, or whose day is not YYYY-MM-DD (the read model's rules, `statusDecimal`
 * and `statusDay`), fails the read, counted, and the gauges keep their last values. Counts need no check
 * here: Number() takes a bigint (SQL's count(*)), which prom-client alone would throw on.
 */
export function checkTextFigures(s: StatusSnapshot): StatusSnapshot {
  if (s.untracked) {
    const usd = statusDecimal("untracked.monthlyUsd", s.untracked.monthlyUsd);
    if (usd.startsWith("-")) throw new Error(`status figures: "untracked.monthlyUsd" is negative (${usd})`);
  }
  const b = s.business;
  // fleetForecastUsd may be absent: a provider from before the forecast gauge has no sample for it.
  if (!b) return s;
  for (const k of AMOUNTS) if (b[k] != null) statusDecimal(`business.${k}`, b[k]);
  for (const k of ["invoiceMonth", "lastClosedMonth"] as const) if (b[k] !== null) statusDay(`business.${k}`, b[k]);
  return s;
}
