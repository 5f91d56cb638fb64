import type { SqlRunner } from "../../db/client.js";
import { ensureMonthEnds, historyStart, monthEndSeries, type Scope } from "../../db/month-end/forecast-history.js";
import { centsOf } from "../../money.js";
import { previousMonth } from "../../months.js";
import { addMonths, monthsBetween } from "./calendar.js";
import { scopeKey } from "./known-changes.js";

/** Complete months of month-end figures the forecast and the backtest keep at most. */
const MAX_MONTHS = 24;

export interface MonthEndHistory {
  /** Complete months, oldest first (none when cost_history is empty). */
  months: string[];
  /** Per scope key (`fleet:`, `tenant:<uuid>`, `plan:<rid>`): cents per month, aligned with `months`. */
  series: Map<string, bigint[]>;
  /** Months whose figures this call computed (the cache had none, or stale ones). */
  computed: string[];
}

/**
 * The last `keep` complete months before `now` (from the first month with history on; none when
 * there is no history), their month-end figures computed into the cache where missing or stale.
 */
export async function historyWindow(
  db: SqlRunner,
  o: { now: Date; keep?: number },
): Promise<{ months: string[]; computed: string[] }> {
  const last = previousMonth(o.now);
  const start = await historyStart(db);
  if (start === undefined || start > last) return { months: [], computed: [] };
  const earliest = addMonths(last, -((o.keep ?? MAX_MONTHS) - 1));
  const months = monthsBetween(start > earliest ? start : earliest, last);
  return { months, computed: await ensureMonthEnds(db, months) };
}

/**
 * The month-end figures of the last `keep` complete months before `now` (from the first month
 * with history on), computed into the cache where missing, for one scope or all of them.
 */
export async function loadHistory(
  db: SqlRunner,
  o: { now: Date; keep?: number; scope?: { scope: Scope; scopeId: string } },
): Promise<MonthEndHistory> {
  const { months, computed } = await historyWindow(db, o);
  return { months, series: await seriesIn(db, months, o.scope), computed };
}

/** The month-end series of `months` (from the cache, already filled) for one scope or all of them. */
export async function seriesIn(
  db: SqlRunner,
  months: string[],
  scope?: { scope: Scope; scopeId: string },
): Promise<Map<string, bigint[]>> {
  const series = new Map<string, bigint[]>();
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return series;
  const rows = await monthEndSeries(db, { first, last, scope });
  const index = new Map(months.map((m, i) => [m, i]));
  for (const r of rows) {
    const s = months.map(() => 0n);
    r.months.forEach((m, j) => {
      const i = index.get(m);
      if (i !== undefined) s[i] = centsOf(r.totals[j] ?? "0") ?? 0n;
    });
    series.set(scopeKey(r.scope, r.scopeId), s);
  }
  return series;
}
