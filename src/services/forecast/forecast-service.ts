import type { SqlRunner } from "../../db/client.js";
import { runRates, type Scope } from "../../db/month-end/forecast-history.js";
import { centsOf, formatCents } from "../../money.js";
import { monthOf } from "../../months.js";
import { addMonths, elapsedFraction, monthStartMs } from "./calendar.js";
import { loadHistory } from "./history.js";
import { knownChangesByScope, scopeKey, type ScopedChange } from "./known-changes.js";
import { fitsOfEveryScope } from "./fits.js";
import { fitScope, historyOf, MIN_HISTORY_MONTHS, pointOf, type Point, type ScopeFit } from "./method.js";

/** The forecast of one scope, as `cost-sync forecast --json` prints it (amounts: decimal strings). */
export interface ScopeForecast {
  scope: Scope;
  /** '' for the fleet, the tenant's uuid, the plan's rid. */
  scopeId: string;
  /** Complete months of history the forecast rests on. */
  historyMonths: number;
  /** Set when the history is too short for the trend and the interval. */
  note: string | null;
  thisMonth: { month: string; runRate: string; p10: string | null; p50: string; p90: string | null };
  months: { month: string; p10: string | null; p50: string; p90: string | null }[];
  knownChanges: { date: string; kind: string; resource: string; monthlyEffect: string }[];
}

export interface ForecastOptions {
  /** Months after the current one (1..12). */
  months: number;
  now?: Date;
  /** One scope; all of them (fleet, every tenant, every plan) when absent. */
  scope?: { scope: Scope; scopeId: string };
}

const text = (c: bigint | null) => (c === null ? null : formatCents(c));
const point = (p: Point) => ({ p10: text(p.p10), p50: formatCents(p.p50), p90: text(p.p90) });
const lastInstantMs = (month: string) => monthStartMs(addMonths(month, 1)) - 1;

/** Forecasts (docs/forecast.md, "Method") of one scope or of every scope, this month and the next `months`. */
export async function forecast(db: SqlRunner, o: ForecastOptions): Promise<ScopeForecast[]> {
  const now = o.now ?? new Date();
  // Three independent reads, each a statement of its own: run side by side on the pool's connections.
  const [fits, rates, changes] = await Promise.all([
    fitsOf(db, now, o.scope),
    runRates(db),
    knownChangesByScope(db, now),
  ]);
  const wanted = o.scope ? [scopeKey(o.scope.scope, o.scope.scopeId)] : scopesOf(fits, rates);
  const rateOf = new Map(rates.map((r) => [scopeKey(r.scope, r.scopeId), centsOf(r.total) ?? 0n]));
  const f = elapsedFraction(now);
  // The months ahead and their last instants are the same for every scope: computed once.
  const ahead = Array.from({ length: o.months + 1 }, (_, k2) => {
    const month = addMonths(monthOf(now), k2);
    return { month, lastMs: lastInstantMs(month) };
  });
  return wanted.map((k) => {
    const [scope, ...rest] = k.split(":");
    const fit = fits.get(k) ?? NO_HISTORY;
    const runRate = rateOf.get(k) ?? 0n;
    const known = (changes.get(k) ?? []).filter((c) => c.date.getTime() >= now.getTime());
    const at = (k2: number) => {
      const { month, lastMs } = ahead[k2] ?? { month: addMonths(monthOf(now), k2), lastMs: 0 };
      const effect = known.filter((c) => c.date.getTime() <= lastMs).reduce((s, c) => s + c.cents, 0n);
      return { month, ...point(pointOf(fit, { anchor: Number(runRate), known: Number(effect), steps: k2 + 1 - f })) };
    };
    const current = at(0);
    return {
      scope: scope as Scope,
      scopeId: rest.join(":"),
      historyMonths: fit.historyMonths,
      note: fit.historyMonths < MIN_HISTORY_MONTHS ? shortHistory(fit.historyMonths) : null,
      thisMonth: { month: current.month, runRate: formatCents(runRate), p10: current.p10, p50: current.p50, p90: current.p90 }, // prettier-ignore
      months: Array.from({ length: o.months }, (_, i) => at(i + 1)),
      knownChanges: known.map(describeChange),
    };
  });
}

const describeChange = (c: ScopedChange) => ({
  date: c.date.toISOString(),
  kind: c.kind,
  resource: c.resource,
  monthlyEffect: formatCents(c.cents),
});

const NO_HISTORY: ScopeFit = { historyMonths: 0, trend: null, bounds: null };

/**
 * Each scope's fit: one scope's fitted afresh on its month-end figures; every scope's read from the
 * stored fits (fitted again only when the month-end figures changed: fits.ts).
 */
async function fitsOf(
  db: SqlRunner,
  now: Date,
  scope?: { scope: Scope; scopeId: string },
): Promise<Map<string, ScopeFit>> {
  if (!scope) return fitsOfEveryScope(db, now);
  const history = await loadHistory(db, { now, scope });
  return new Map([...history.series].map(([k, s]) => [k, fitScope(historyOf(s))]));
}

const shortHistory = (n: number) =>
  `only ${String(n)} complete month${n === 1 ? "" : "s"} of history (${String(MIN_HISTORY_MONTHS)} needed): ` +
  "run-rate plus known changes, no trend and no interval";

function scopesOf(series: Map<string, ScopeFit>, rates: { scope: Scope; scopeId: string }[]): string[] {
  const keys = new Set([scopeKey("fleet", ""), ...series.keys(), ...rates.map((r) => scopeKey(r.scope, r.scopeId))]);
  return [...keys].sort();
}
