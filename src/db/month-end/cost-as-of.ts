import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";
import { centsOf, formatCents } from "../../money.js";
import { MONTH_PATTERN } from "../../months.js";

/**
 * Cost as of any instant (docs/forecast.md, "Cost as of an instant"): the modelled cost (overrides
 * applied, attributed + unallocated; untracked spend is not in it) rebuilt from cost_history, split
 * among tenants by the live attribution's rules. Amounts are exact decimal strings; the fleet is the
 * sum of the rows in whole cents, so Σ tenants + unallocated = fleet to the cent.
 */

/** One scope's modelled monthly cost. */
export interface CostFigures {
  vpsCost: string;
  ipCost: string;
  /** vpsCost + ipCost. */
  totalCost: string;
  /** VPS instances that bear all or part of the cost. */
  vpsCount: number;
  ipCount: number;
}

export interface TenantCost extends CostFigures {
  tenantId: string;
}

export interface PlanCost extends CostFigures {
  /** Hostwinds plan rid; null for VPS priced from no plan (see docs/forecast.md). */
  planRid: string | null;
}

export interface FleetCost {
  vpsCost: string;
  ipCost: string;
  /** Every modelled cost, attributed or not. */
  totalCost: string;
  unallocatedVpsCost: string;
  unallocatedIpCost: string;
  unallocatedCost: string;
}

export interface CostAsOf {
  /** The instant the figures are for. */
  at: Date;
  fleet: FleetCost;
  /** Every tenant bearing a cost at `at`, by tenant id; unallocated cost is in `fleet` only. */
  tenants: TenantCost[];
}

export interface MonthEndFigures extends CostAsOf {
  /** `YYYY-MM` (UTC); `at` is its last instant. */
  month: string;
}

interface Row {
  tenantId: string | null;
  vpsCost: string;
  ipCost: string;
  vpsCount: number;
  ipCount: number;
}

/** `at` is an ISO instant: text, so that a month's last microsecond survives (a Date holds milliseconds). */
const ATTRIBUTION = statement<{ at: string }, Row>("month-end/attribution-as-of");
const PLANS = statement<{ at: string }, Omit<Row, "tenantId"> & { planRid: string | null }>("month-end/plans-as-of");

const cents = (s: string): bigint => centsOf(s) ?? 0n;
const withTotal = <T extends { vpsCost: string; ipCost: string }>(r: T): T & { totalCost: string } => ({
  ...r,
  totalCost: formatCents(cents(r.vpsCost) + cents(r.ipCost)),
});

/** The modelled cost of every tenant and of the fleet as of `at`. */
export async function costAsOf(db: SqlRunner, at: Date): Promise<CostAsOf> {
  return costAt(db, at.toISOString(), at);
}

async function costAt(db: SqlRunner, instant: string, at: Date): Promise<CostAsOf> {
  const rows = await query(db, ATTRIBUTION, { at: instant });
  let vps = 0n;
  let ip = 0n;
  let unVps = 0n;
  let unIp = 0n;
  const tenants: TenantCost[] = [];
  for (const r of rows) {
    vps += cents(r.vpsCost);
    ip += cents(r.ipCost);
    if (r.tenantId === null) {
      unVps += cents(r.vpsCost);
      unIp += cents(r.ipCost);
    } else {
      tenants.push(
        withTotal({
          tenantId: r.tenantId,
          vpsCost: r.vpsCost,
          ipCost: r.ipCost,
          vpsCount: r.vpsCount,
          ipCount: r.ipCount,
        }),
      );
    }
  }
  const fleet: FleetCost = {
    vpsCost: formatCents(vps),
    ipCost: formatCents(ip),
    totalCost: formatCents(vps + ip),
    unallocatedVpsCost: formatCents(unVps),
    unallocatedIpCost: formatCents(unIp),
    unallocatedCost: formatCents(unVps + unIp),
  };
  return { at, fleet, tenants };
}

/** The modelled cost per Hostwinds plan (VPS and their IPs) as of `at`. */
export async function plansAsOf(db: SqlRunner, at: Date): Promise<PlanCost[]> {
  return (await query(db, PLANS, { at: at.toISOString() })).map(withTotal);
}

/**
 * The last instant of a `YYYY-MM` month (UTC) as ISO text with microseconds: the next month's start
 * minus one microsecond, timestamptz's resolution (SQL: `cost_month_last_instant(date)`).
 */
export function monthLastInstant(month: string): string {
  if (!MONTH_PATTERN.test(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const [y, m] = month.split("-").map(Number);
  const lastDay = new Date(Date.UTC(y ?? 0, m ?? 1, 0)).toISOString().slice(0, 10);
  return `${lastDay}T23:59:59.999999Z`;
}

/**
 * A month's month-end figure: the cost as of its last instant (UTC), so every change made before
 * the next month began. `at` is that instant to the millisecond; the figures are to the microsecond.
 */
export async function monthEndFigures(db: SqlRunner, month: string): Promise<MonthEndFigures> {
  const instant = monthLastInstant(month);
  return { month, ...(await costAt(db, instant, new Date(instant))) };
}
