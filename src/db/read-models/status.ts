import type { SqlRunner } from "../client.js";
import { query, statement, type NoParams } from "../sql.js";
import type { CappedList } from "../../capped-list.js";

export interface UnpricedVps {
  kind: "vps";
  id: string;
  serviceid: string | null;
  kept_cost: string | null;
  reason: string;
}

const UNPRICED_VPS = statement<{ limit: number }, UnpricedVps>("status/unpriced-vps");

/** VPS the last sync could not price, with the cost they keep (at most `limit`). */
export function listUnpricedVps(db: SqlRunner, limit: number): Promise<UnpricedVps[]> {
  return query(db, UNPRICED_VPS, { limit });
}

/** Hostwinds service ids that more than one VPS row names (compared without leading zeros). */
export interface DuplicateServiceId {
  serviceid: string;
  vpsIds: string[];
  /** Each row's hostwinds_instance_id as stored, in the order of vpsIds. */
  storedAs: string[];
}

const DUPLICATES = statement<{ limit: number }, DuplicateServiceId & { total: number }>("status/duplicate-serviceids");

/** Service ids named by several VPS rows (`0030` and `30`): the first `limit`, and how many in all. */
export async function duplicateServiceIds(db: SqlRunner, limit: number): Promise<CappedList<DuplicateServiceId>> {
  const rows = await query(db, DUPLICATES, { limit });
  return {
    total: rows[0]?.total ?? 0,
    shown: rows.map(({ serviceid, vpsIds, storedAs }) => ({ serviceid, vpsIds, storedAs })),
  };
}

/** A budget's status: a fixed set, so the gauge's `status` label stays bounded. */
export const BUDGET_STATUSES = ["ok", "at_risk", "over"] as const;
export type BudgetStatusName = (typeof BUDGET_STATUSES)[number];

/**
 * The status read model: the database's part of what `status` and the status gauges (/metrics) show,
 * whole-fleet figures, never a tenant or a resource id. Read by {@link readStatusFigures}, which
 * checks every column once: counts are numbers, amounts exact decimal strings, days YYYY-MM-DD.
 */
export interface StatusFigures {
  /** VPS whose cost could not be priced (they keep their previous cost). */
  unpricedVps: number;
  /** Anomalies in state open: nobody has acknowledged or resolved them (`cost-sync anomalies ack`). */
  openAnomalies: number;
  /** When the attribution behind the executive views was last recomputed; null = never. */
  attributionRefreshedAt: Date | null;
  /** `system_config` `cost_sync.last_successful_reconciliation`; null = never. */
  lastSuccessfulReconciliationAt: Date | null;
  /** Hostwinds instances cost-sync does not model, of the latest completed run that checked; null = none has. */
  untracked: { instances: number; monthlyUsd: string } | null;
  /** VPS rows whose serviceid Hostwinds does not list as live; null = not checked. */
  ghostRows: number | null;
  /** Budgets in force this month by status (executive_budget_status, docs/forecast.md). */
  budgets: Record<BudgetStatusName, number>;
  /** The latest completed price watch and the catalogue price changes it found; null = none has run. */
  priceWatch: { lastAt: Date; changes: number } | null;
  /** The business alerts' and money gauges' figures. */
  business: BusinessFigures;
}

/** The business alerts' and money gauges' figures (statement status/business.sql); decimals as exact strings. */
export interface BusinessFigures {
  /** Tenants now at Monitor that were better at the latest close; null without a close. */
  fallenToMonitor: number | null;
  /** Tenants now at Critical Action Required that were better at the latest close; null without a close. */
  fallenToCritical: number | null;
  negativeMarginTenants: number;
  fleetModelledCostUsd: string | null;
  fleetRevenueUsd: string | null;
  fleetMarginUsd: string | null;
  /** The latest imported invoice month (YYYY-MM-DD, its first day); null before any import. */
  invoiceMonth: string | null;
  /** 1 - sum|modelled - invoiced| / sum invoiced for that month; null when nothing in it was invoiced. */
  invoiceAccuracy: string | null;
  invoicedUsd: string | null;
  /** The latest month with a close in force (YYYY-MM-DD); null before any close. */
  lastClosedMonth: string | null;
  /** Whether the month before the current UTC month has a close in force. */
  previousMonthClosed: boolean;
  /** The fleet's stored month-end forecast (p50) for the current UTC month; null when none is stored for it. */
  fleetForecastUsd: string | null;
}

type Row = Record<string, unknown>;
const FIGURES = statement<NoParams, Row>("status/figures");
const BUSINESS = statement<NoParams, Row>("status/business");

/**
 * The status figures, in two round trips. A column that does not hold what it should (a blank or
 * "NaN" amount, a negative count) fails the read naming it: never read as 0.
 */
export async function readStatusFigures(db: SqlRunner): Promise<StatusFigures> {
  const [figures, business] = await Promise.all([oneRow(db, FIGURES), oneRow(db, BUSINESS)]);
  const f = columns(FIGURES.name, figures);
  const b = columns(BUSINESS.name, business);
  const untrackedInstances = f.countOrNull("untrackedInstances");
  const untrackedMonthlyUsd = f.decimalOrNull("untrackedMonthlyUsd");
  const lastPriceWatchAt = f.dateOrNull("lastPriceWatchAt");
  return {
    unpricedVps: f.count("unpricedVps"),
    openAnomalies: f.count("openAnomalies"),
    attributionRefreshedAt: f.dateOrNull("attributionRefreshedAt"),
    lastSuccessfulReconciliationAt: f.dateOrNull("lastReconciliationAt"),
    untracked:
      untrackedInstances === null || untrackedMonthlyUsd === null
        ? null
        : { instances: untrackedInstances, monthlyUsd: untrackedMonthlyUsd },
    ghostRows: f.countOrNull("ghostRows"),
    budgets: { ok: f.count("budgetsOk"), at_risk: f.count("budgetsAtRisk"), over: f.count("budgetsOver") },
    priceWatch:
      lastPriceWatchAt === null ? null : { lastAt: lastPriceWatchAt, changes: f.countOrNull("priceWatchChanges") ?? 0 },
    business: {
      fallenToMonitor: b.countOrNull("fallenToMonitor"),
      fallenToCritical: b.countOrNull("fallenToCritical"),
      negativeMarginTenants: b.count("negativeMarginTenants"),
      fleetModelledCostUsd: b.decimalOrNull("fleetModelledCostUsd"),
      fleetRevenueUsd: b.decimalOrNull("fleetRevenueUsd"),
      fleetMarginUsd: b.decimalOrNull("fleetMarginUsd"),
      invoiceMonth: b.dayOrNull("invoiceMonth"),
      invoiceAccuracy: b.decimalOrNull("invoiceAccuracy"),
      invoicedUsd: b.decimalOrNull("invoicedUsd"),
      lastClosedMonth: b.dayOrNull("lastClosedMonth"),
      previousMonthClosed: b.bool("previousMonthClosed"),
      fleetForecastUsd: b.decimalOrNull("fleetForecastUsd"),
    },
  };
}

async function oneRow(db: SqlRunner, s: typeof FIGURES): Promise<Row> {
  const [row] = await query(db, s, {});
  if (!row) throw new Error(`statement ${s.name} returned no row`);
  return row;
}

/** A count as the status figures hold it: SQL's count(*) arrives as a bigint, and either is taken. */
export function statusCount(column: string, v: unknown): number {
  const n = typeof v === "bigint" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw badColumn(column, v, "a count");
  return n;
}

// Plain decimal text, signed (a margin may be negative): never "", "NaN" or "1e3".
const EXACT_DECIMAL = /^-?\d+(\.\d+)?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** An amount as the status figures hold it: an exact decimal string; a blank or "NaN" is refused, never 0. */
export function statusDecimal(column: string, v: unknown): string {
  if (typeof v !== "string" || !EXACT_DECIMAL.test(v)) throw badColumn(column, v, "an exact decimal string");
  return v;
}

/** A calendar day as the status figures hold it: YYYY-MM-DD. */
export function statusDay(column: string, v: unknown): string {
  if (typeof v !== "string" || !DAY.test(v)) throw badColumn(column, v, "a date as YYYY-MM-DD");
  return v;
}

function badColumn(column: string, v: unknown, what: string): Error {
  const shown = typeof v === "bigint" ? `${String(v)}n` : typeof v === "string" ? JSON.stringify(v) : String(v);
  return new Error(`status figures: column "${column}" is ${shown}, not ${what}`);
}

/** Each column of one row, converted and checked once; the error names the statement and the column. */
function columns(statementName: string, row: Row) {
  const at = (c: string) => `${statementName}.${c}`;
  const orNull =
    <T>(check: (c: string, v: unknown) => T) =>
    (c: string): T | null =>
      row[c] === null ? null : check(at(c), row[c]);
  const date = (c: string, v: unknown): Date => {
    if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw badColumn(c, v, "a timestamp");
    return v;
  };
  return {
    count: (c: string) => statusCount(at(c), row[c]),
    countOrNull: orNull(statusCount),
    decimalOrNull: orNull(statusDecimal),
    dateOrNull: orNull(date),
    dayOrNull: orNull(statusDay),
    bool: (c: string): boolean => {
      if (typeof row[c] !== "boolean") throw badColumn(at(c), row[c], "a boolean");
      return row[c];
    },
  };
}
