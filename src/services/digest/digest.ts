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
import { resourceOf, savingsSummary } from "../savings/report.js";

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
  /** Top savings: the open ones of the latest savings refresh; null while no refresh has run ("not available"). */
  savings: DigestSavings | null;
  untracked: DigestUntracked | null;
  invoiceAccuracy: DigestInvoiceAccuracy | null;
}

/** The open savings (docs/savings.md) and the largest opportunities; `isNew` = first seen inside the period. */
export interface DigestSavings {
  refreshedAt: Date;
  monthlySaving: string;
  count: number;
  fleetMonthlyCost: string;
  shareOfFleet: string | null;
  top: {
    id: string;
    kind: string;
    resource: string;
    tenantId: string | null;
    tenantName: string | null;
    monthlySaving: string;
    isNew: boolean;
  }[];
}

/** How many opportunities the digest lists. */
const TOP_SAVINGS = 5;

const cents = (s: string): bigint => centsOf(s) ?? 0n;

async function digestSavings(db: SqlRunner, periodStart: Date): Promise<DigestSavings | null> {
  const s = await savingsSummary(db, TOP_SAVINGS);
  if (s.refreshedAt === null) return null;
  const top = s.top.map((o) => ({
    id: o.id,
    kind: o.kind,
    resource: resourceOf(o),
    tenantId: o.tenantId,
    tenantName: o.tenantName,
    monthlySaving: o.monthlySaving,
    isNew: o.firstSeen.getTime() >= periodStart.getTime(),
  }));
  return { ...s, refreshedAt: s.refreshedAt, top };
}

/**
 * The digest for [start, now): `sinceMs` back from now when given, else since the latest digest
 * taken, else a week. Amounts are exact: cents throughout, formatted once.
 */
export async function buildDigest(db: SqlRunner, o: { now?: Date; sinceMs?: number } = {}): Promise<Digest> {
  const now = o.now ?? new Date();
  const last = o.sinceMs === undefined ? await lastDigestAt(db) : null;
  const periodFrom = o.sinceMs !== undefined ? "since" : last !== null ? "last-digest" : "default";
  const periodStart = last ?? new Date(now.getTime() - (o.sinceMs ?? DEFAULT_DIGEST_PERIOD_MS));
  const [then, current, revenue, anomalies, budgets, untracked, invoiceAccuracy, savings] = await Promise.all([
    costAsOf(db, periodStart),
    costAsOf(db, now),
    fleetRevenue(db),
    anomaliesBetween(db, periodStart, now),
    budgetStatuses(db, now),
    latestUntrackedSpend(db),
    latestInvoiceAccuracy(db),
    digestSavings(db, periodStart),
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
    savings,
    untracked,
    invoiceAccuracy,
  };
}
