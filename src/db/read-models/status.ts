import type { SqlRunner } from "../client.js";
import { query, statement, type NoParams } from "../sql.js";

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

export interface StatusFigures {
  unpricedVps: number;
  /** Anomalies in state open: nobody has acknowledged or resolved them (`cost-sync anomalies ack`). */
  openAnomalies: number;
  attributionRefreshedAt: Date | null;
  lastReconciliationAt: Date | null;
  /** Of the latest completed run that checked (cost_untracked_latest); null when none has. */
  untrackedInstances: number | null;
  untrackedMonthlyUsd: string | null;
  /** Null also when that run could not check for ghosts. */
  ghostRows: number | null;
  /** Budgets in force this month by status (executive_budget_status). */
  budgetsOk: number;
  budgetsAtRisk: number;
  budgetsOver: number;
  /** The latest completed price watch and the catalogue price changes it found; null when none has run. */
  lastPriceWatchAt: Date | null;
  priceWatchChanges: number | null;
}

const FIGURES = statement<NoParams, StatusFigures>("status/figures");

/** The database's part of the status gauges, in one round trip. */
export async function statusFigures(db: SqlRunner): Promise<StatusFigures> {
  const [row] = await query(db, FIGURES, {});
  if (!row) throw new Error("status figures returned no row");
  return row;
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
export async function duplicateServiceIds(
  db: SqlRunner,
  limit: number,
): Promise<{ total: number; shown: DuplicateServiceId[] }> {
  const rows = await query(db, DUPLICATES, { limit });
  return {
    total: rows[0]?.total ?? 0,
    shown: rows.map(({ serviceid, vpsIds, storedAs }) => ({ serviceid, vpsIds, storedAs })),
  };
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

const BUSINESS = statement<NoParams, BusinessFigures>("status/business");

/** The business figures, in one round trip. */
export async function businessFigures(db: SqlRunner): Promise<BusinessFigures> {
  const [row] = await query(db, BUSINESS, {});
  if (!row) throw new Error("business figures returned no row");
  return row;
}
