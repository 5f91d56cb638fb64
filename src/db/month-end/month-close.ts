import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/**
 * Month close (docs/month-close.md): a month's figures frozen in cost_month_closes and
 * cost_month_close_tenants, by the scheduled reconciliation or `close-month`; a reopen keeps the
 * close on record. Months are UTC calendar months written `YYYY-MM`.
 */

/** A close of a month as `close-month` and the worker report it; amounts as exact text. */
export interface MonthCloseRecord {
  id: string;
  month: string;
  closedAt: Date;
  closedBy: string;
  trigger: "schedule" | "command";
  reason: string;
  runId: string | null;
  figuresAsOf: Date | null;
  tenants: number;
  vpsCost: string;
  ipCost: string;
  totalCost: string;
  unallocatedCost: string;
  revenue: string;
  margin: string;
  marginPercent: string | null;
  untrackedMonthlyCost: string | null;
  untrackedInstances: number | null;
  invoicedUsd: string | null;
  invoiceAccuracy: string | null;
  otherHostwindsSpendUsd: string | null;
  /** Payments that succeeded for the month; null for closes made before it was recorded. */
  paymentsReceived: string | null;
  reopenedAt: Date | null;
  reopenedBy: string | null;
  reopenReason: string | null;
}

export interface CloseRequest {
  /** `YYYY-MM`, before the current UTC month (the statement refuses any other). */
  month: string;
  closedBy: string;
  trigger: "schedule" | "command";
  reason: string;
  /** The scheduled reconciliation closing it. */
  runId?: string | null;
}

/** What a close did: closed now, or nothing because a close is in force (`existing`) or the month has not ended. */
export type CloseOutcome =
  | { outcome: "closed"; close: MonthCloseRecord }
  | { outcome: "already closed"; close: MonthCloseRecord }
  | { outcome: "not ended" };

type MonthParams = { month: string };
export const CLOSE = statement<
  MonthParams & { closedBy: string; trigger: string; reason: string; runId: string | null },
  { closeId: string | null; tenants: number }
>("month-close/close");
const REOPEN = statement<MonthParams & { reopenedBy: string; reason: string }, { id: string }>("month-close/reopen");
const CLOSES = statement<MonthParams, MonthCloseRecord>("month-close/closes");
const FIRST_HISTORY = statement<Record<string, never>, { month: string | null }>("month-close/first-history");

/**
 * The first month cost-sync has any history for (a recorded cost change or a reconciliation run),
 * `YYYY-MM` in UTC; undefined when it has none. A month before it has no figures to freeze.
 */
export async function firstHistoryMonth(db: SqlRunner): Promise<string | undefined> {
  const [row] = await query(db, FIRST_HISTORY, {});
  return row?.month ?? undefined;
}

/** The first day of a `YYYY-MM` month, as the statements take it. */
export const firstDay = (month: string): string => `${month}-01`;

/** Every close of a month, oldest first; the one in force, if any, is last. */
export function monthCloses(db: SqlRunner, month: string): Promise<MonthCloseRecord[]> {
  return query(db, CLOSES, { month: firstDay(month) });
}

/** The close of a month in force, if it is closed. */
export async function closeInForce(db: SqlRunner, month: string): Promise<MonthCloseRecord | undefined> {
  const last = (await monthCloses(db, month)).at(-1);
  return last && last.reopenedAt === null ? last : undefined;
}

/** Closes a month once: a month already closed (even a moment ago, by someone else) is left as it is. */
export async function closeMonth(db: SqlRunner, r: CloseRequest): Promise<CloseOutcome> {
  const [row] = await query(db, CLOSE, {
    month: firstDay(r.month),
    closedBy: r.closedBy,
    trigger: r.trigger,
    reason: r.reason,
    runId: r.runId ?? null,
  });
  const close = await closeInForce(db, r.month);
  if (!close) return { outcome: "not ended" };
  return { outcome: row?.closeId === close.id ? "closed" : "already closed", close };
}

/** Reopens a closed month; undefined when it was not closed. */
export async function reopenMonth(
  db: SqlRunner,
  r: { month: string; reopenedBy: string; reason: string },
): Promise<MonthCloseRecord | undefined> {
  const [row] = await query(db, REOPEN, { month: firstDay(r.month), reopenedBy: r.reopenedBy, reason: r.reason });
  if (!row) return undefined;
  return (await monthCloses(db, r.month)).find((c) => c.id === row.id);
}
