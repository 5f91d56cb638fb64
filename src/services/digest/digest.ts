import type { SqlRunner } from "../../db/client.js";
import { costAsOf } from "../../db/month-end/cost-as-of.js";
import {
  anomaliesBetween,
  fleetRevenue,
  latestInvoiceAccuracy,
  latestUntrackedSpend,
  type DigestAnomaly,
  type DigestInvoiceAccuracy,
  type DigestUntracked,
} from "../../db/read-models/digest.js";
import { lastDigestAt } from "../../db/writes/digests.js";
import { centsOf, formatCents } from "../../money.js";
import { budgetStatuses, type BudgetStatus } from "../forecast/page-figures.js";

/** The default period when no digest was taken yet and no --since is given: a week. */
export const DEFAULT_DIGEST_PERIOD_MS = 7 * 24 * 3600 * 1000;

/** Cost and margin at the period's two ends (decimal strings; margin null without revenue). */
export interface DigestCost {
  /** Fleet modelled cost (attributed + unallocated; untracked spend is not in it) at the start. */
  costThen: string;
  costNow: string;
  costChange: string;
  /** Monthly subscription revenue now: subscriptions carry no history, so both margins use it. */
  revenue: string | null;
  marginThen: string | null;
  marginNow: string | null;
  marginChange: string | null;
}

/** Everything `report digest` and the weekly job show (docs/observability.md, "The digest"). */
export interface Digest {
  periodStart: Date;
  periodEnd: Date;
  /** last-digest: since the latest digest taken; since: --since given; default: a week back, none taken yet. */
  periodFrom: "last-digest" | "since" | "default";
  cost: DigestCost;
  anomalies: DigestAnomaly[];
  /** This month's budgets whose status is at_risk or over. */
  budgetsAtRisk: BudgetStatus[];
  /** Top savings: null while no savings service exists on this build (stated as "not available"). */
  savings: null;
  untracked: DigestUntracked | null;
  invoiceAccuracy: DigestInvoiceAccuracy | null;
}

const cents = (s: string): bigint => centsOf(s) ?? 0n;

/**
 * The digest for [start, now): `sinceMs` back from now when given, else since the latest digest
 * taken, else a week. Amounts are exact: cents throughout, formatted once.
 */
export async function buildDigest(db: SqlRunner, o: { now?: Date; sinceMs?: number } = {}): Promise<Digest> {
  const now = o.now ?? new Date();
  const last = o.sinceMs === undefined ? await lastDigestAt(db) : null;
  const periodFrom = o.sinceMs !== undefined ? "since" : last !== null ? "last-digest" : "default";
  const periodStart = last ?? new Date(now.getTime() - (o.sinceMs ?? DEFAULT_DIGEST_PERIOD_MS));
  const [then, current, revenue, anomalies, budgets, untracked, invoiceAccuracy] = await Promise.all([
    costAsOf(db, periodStart),
    costAsOf(db, now),
    fleetRevenue(db),
    anomaliesBetween(db, periodStart, now),
    budgetStatuses(db, now),
    latestUntrackedSpend(db),
    latestInvoiceAccuracy(db),
  ]);
  const costThen = cents(then.fleet.totalCost);
  const costNow = cents(current.fleet.totalCost);
  const rev = revenue === null ? null : cents(revenue);
  return {
    periodStart,
    periodEnd: now,
    periodFrom,
    cost: {
      costThen: formatCents(costThen),
      costNow: formatCents(costNow),
      costChange: formatCents(costNow - costThen),
      revenue,
      marginThen: rev === null ? null : formatCents(rev - costThen),
      marginNow: rev === null ? null : formatCents(rev - costNow),
      marginChange: rev === null ? null : formatCents(costThen - costNow),
    },
    anomalies,
    budgetsAtRisk: budgets.filter((b) => b.status !== "ok"),
    savings: null,
    untracked,
    invoiceAccuracy,
  };
}
