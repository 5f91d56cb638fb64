import type { ExecutivePageData, ExecutiveTenant, ExecutiveTrendMonth } from "../../reports/executive-page-data.js";
import type { SqlRunner } from "../client.js";
import { loadInvoiceAccuracy, loadLastClose, loadOpenAnomalies } from "./executive-extras.js";
import { query, statement, type NoParams } from "../sql.js";

/**
 * The executive page's figures, read from the executive views (docs/executive.md). Every amount
 * arrives as exact text from its statement; nothing is computed here but the shape.
 */

type Fleet = ExecutivePageData["fleet"];
type FleetRow = { [K in keyof Fleet]: Fleet[K] | null };
interface Freshness {
  generatedAt: Date;
  attributionRefreshedAt: Date | null;
  lastReconciliationAt: Date | null;
}

const FLEET = statement<NoParams, FleetRow>("executive/fleet");
type TenantRow = Omit<ExecutiveTenant, "lastClose"> & {
  closeRevenue: string | null;
  closeCost: string | null;
  closeMarginPercent: string | null;
  closeHealth: string | null;
};
const TENANTS = statement<NoParams, TenantRow>("executive/tenants");
const FRESHNESS = statement<NoParams, Freshness>("executive/freshness");
const TREND = statement<NoParams, ExecutiveTrendMonth>("executive/trend");

/** Every figure the page draws, from the database `db` is connected to. */
export async function loadExecutivePage(db: SqlRunner): Promise<ExecutivePageData> {
  const [fresh] = await query(db, FRESHNESS, {});
  const [fleet] = await query(db, FLEET, {});
  const tenants = (await query(db, TENANTS, {})).map(tenantFigures);
  const trend = await loadExecutiveTrend(db);
  if (!fresh || !fleet) throw new Error("executive page: the fleet figures returned no row");
  return {
    lastClose: await loadLastClose(db),
    anomalies: await loadOpenAnomalies(db),
    invoiceAccuracy: await loadInvoiceAccuracy(db),
    generatedAt: fresh.generatedAt,
    freshness: {
      attributionRefreshedAt: fresh.attributionRefreshedAt,
      lastReconciliationAt: fresh.lastReconciliationAt,
    },
    fleet: fleetFigures(fleet),
    tenants,
    ...(trend === null ? {} : { trend }),
  };
}

/**
 * The fleet's closed months from `executive_monthly_trend`, oldest first, or null while no month is
 * closed (the page then says so). What src/db/queries/executive/trend.sql reads of the view is in its header.
 */
export async function loadExecutiveTrend(db: SqlRunner): Promise<ExecutiveTrendMonth[] | null> {
  const months = await query(db, TREND, {});
  return months.length === 0 ? null : months;
}

/** A tenant row with its last close's figures folded into `lastClose` (null when it was not in that close). */
function tenantFigures(r: TenantRow): ExecutiveTenant {
  const { closeRevenue, closeCost, closeMarginPercent, closeHealth, ...today } = r;
  const lastClose =
    closeRevenue === null || closeCost === null || closeHealth === null
      ? null
      : { revenue: closeRevenue, cost: closeCost, marginPercent: closeMarginPercent, health: closeHealth };
  return { ...today, lastClose };
}

/** The view's rows always exist (the fleet view yields all five); a NULL amount there is a bug, but for untracked. */
function fleetFigures(f: FleetRow): Fleet {
  const money = (key: Exclude<keyof Fleet, "untrackedCost" | "marginPercent">): string => {
    const v = f[key];
    if (v === null) throw new Error(`executive page: fleet ${key} is NULL in executive_fleet_summary`);
    return v;
  };
  return {
    revenue: money("revenue"),
    attributedCost: money("attributedCost"),
    unallocatedCost: money("unallocatedCost"),
    untrackedCost: f.untrackedCost,
    totalCost: money("totalCost"),
    vpsCost: money("vpsCost"),
    ipCost: money("ipCost"),
    marginPercent: f.marginPercent,
  };
}
