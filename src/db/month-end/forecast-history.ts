import type { SqlRunner } from "../client.js";
import { execute, query, statement } from "../sql.js";

/** What the forecast reads and writes (docs/forecast.md): month-end figures, run-rates, known changes. */

export type Scope = "fleet" | "tenant" | "plan";

/** One scope's figure: `scopeId` '' for the fleet, a tenant's uuid, a plan's rid. */
export interface ScopeTotal {
  scope: Scope;
  scopeId: string;
  total: string;
}

/** One scope's month-end totals, `months[i]` (YYYY-MM, ascending) with `totals[i]`. */
export interface ScopeSeries {
  scope: Scope;
  scopeId: string;
  months: string[];
  totals: string[];
}

export interface KnownChangeRow {
  vpsId: string;
  serviceid: string | null;
  ownerId: string | null;
  kind: "scheduled decommission" | "provisioning";
  date: Date;
  vpsEffect: string;
  ipEffect: string;
  planRid: string | null;
}

const STALE = statement<{ months: string[] }, { month: string }>("forecast/stale-months");
const REFRESH = statement<{ months: string[] }>("forecast/refresh-months");
const SERIES = statement<{ first: string; last: string; scope: Scope | null; scopeId: string | null }, ScopeSeries>(
  "forecast/series",
);
const START = statement<Record<string, never>, { month: string | null }>("forecast/history-start");
const RUN_RATES = statement<Record<string, never>, ScopeTotal>("forecast/run-rates");
const KNOWN = statement<{ now: Date }, KnownChangeRow>("forecast/known-changes");
const VPS_IPS = statement<{ ids: string[] }, { id: string; vpsId: string }>("forecast/vps-ips");
const BACKTEST_KNOWN = statement<{ months: string[] }, { month: string; effect: string }>("forecast/backtest-known");
const PLAN_KNOWN = statement<{ rid: string }, { known: boolean }>("forecast/plan-known");

/** The month of the earliest cost change, or undefined when cost_history is empty. */
export async function historyStart(db: SqlRunner): Promise<string | undefined> {
  return (await query(db, START, {}))[0]?.month ?? undefined;
}

/**
 * Makes sure the month-end figures of `months` (YYYY-MM, complete months) are in the cache,
 * computing the missing and stale ones in one pass over cost_history; returns the months it computed.
 */
export async function ensureMonthEnds(db: SqlRunner, months: readonly string[]): Promise<string[]> {
  if (months.length === 0) return [];
  const stale = (await query(db, STALE, { months: months.map((m) => `${m}-01`) })).map((r) => r.month);
  if (stale.length > 0) await execute(db, REFRESH, { months: stale.map((m) => `${m}-01`) });
  return stale;
}

/** Month-end totals from `first` to `last` (YYYY-MM) for one scope, or every scope: a row per scope. */
export function monthEndSeries(
  db: SqlRunner,
  o: { first: string; last: string; scope?: { scope: Scope; scopeId: string } },
): Promise<ScopeSeries[]> {
  return query(db, SERIES, {
    first: `${o.first}-01`,
    last: `${o.last}-01`,
    scope: o.scope?.scope ?? null,
    scopeId: o.scope?.scopeId ?? null,
  });
}

/** The cost now of the fleet, every tenant and every plan. */
export function runRates(db: SqlRunner): Promise<ScopeTotal[]> {
  return query(db, RUN_RATES, {});
}

/** Scheduled decommissions ahead and unpriced provisioning VPS, each with its monthly effect. */
export function knownChangeRows(db: SqlRunner, now: Date): Promise<KnownChangeRow[]> {
  return query(db, KNOWN, { now });
}

/** The IPs of the given VPS, each with its VPS. */
export async function ipsOf(db: SqlRunner, vpsIds: string[]): Promise<{ id: string; vpsId: string }[]> {
  return vpsIds.length ? query(db, VPS_IPS, { ids: vpsIds }) : [];
}

/** Whether a plan rid priced any VPS, now or before. */
export async function planKnown(db: SqlRunner, rid: string): Promise<boolean> {
  return (await query(db, PLAN_KNOWN, { rid }))[0]?.known === true;
}

/**
 * Per month (YYYY-MM) of `months`: the fleet's effect (cents as a decimal string, negative) of the
 * scheduled decommissions known at the previous month's end that fall within the month (the
 * backtest's known changes). Months without any are absent.
 */
export async function backtestKnownEffects(db: SqlRunner, months: string[]): Promise<Map<string, string>> {
  if (months.length === 0) return new Map();
  const rows = await query(db, BACKTEST_KNOWN, { months: months.map((m) => `${m}-01`) });
  return new Map(rows.map((r) => [r.month, r.effect]));
}
