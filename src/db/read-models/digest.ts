import type { SqlRunner } from "../client.js";
import { query, statement, type NoParams } from "../sql.js";

/** What the digest reads beyond the cost as of an instant (src/services/digest/). */

/** One anomaly detected in the digest's period, with its lifecycle state. */
export interface DigestAnomaly {
  id: string;
  kind: string;
  resourceId: string | null;
  oldValue: string | null;
  newValue: string;
  change: string;
  changePercent: string | null;
  detectedAt: Date;
  state: string;
}

export interface DigestUntracked {
  checkedAt: Date;
  instances: number | null;
  monthlyUsd: string | null;
  ghostRows: number | null;
}

export interface DigestInvoiceAccuracy {
  month: string;
  accuracy: string | null;
  invoiced: string;
}

const ANOMALIES = statement<{ since: string; until: string }, DigestAnomaly>("digest/anomalies-since");
const REVENUE = statement<NoParams, { revenue: string | null }>("digest/revenue");
const UNTRACKED = statement<NoParams, DigestUntracked>("digest/untracked");
const INVOICES = statement<NoParams, DigestInvoiceAccuracy>("digest/invoice-accuracy");

/** The anomalies detected in [since, until). */
export function anomaliesBetween(db: SqlRunner, since: Date, until: Date): Promise<DigestAnomaly[]> {
  return query(db, ANOMALIES, { since: since.toISOString(), until: until.toISOString() });
}

/** The fleet's monthly subscription revenue now; null when the view has no fleet row. */
export async function fleetRevenue(db: SqlRunner): Promise<string | null> {
  return (await query(db, REVENUE, {}))[0]?.revenue ?? null;
}

/** Untracked spend of the latest reconciliation that checked; null while none has. */
export async function latestUntrackedSpend(db: SqlRunner): Promise<DigestUntracked | null> {
  return (await query(db, UNTRACKED, {}))[0] ?? null;
}

/** The latest imported invoice month's accuracy; null while no invoice is imported. */
export async function latestInvoiceAccuracy(db: SqlRunner): Promise<DigestInvoiceAccuracy | null> {
  return (await query(db, INVOICES, {}))[0] ?? null;
}
