import type { SqlRunner } from "../../db/client.js";
import { backtestKnownEffects } from "../../db/month-end/forecast-history.js";
import { centsOf, formatCents } from "../../money.js";
import { loadHistory } from "./history.js";
import { scopeKey } from "./known-changes.js";
import { forecastPoint, historyOf, WINDOW } from "./method.js";

/** `cost-sync forecast backtest --json` (docs/forecast.md, "Backtest"). Amounts: decimal strings. */
export interface Backtest {
  months: {
    month: string;
    actual: string;
    p10: string | null;
    p50: string;
    p90: string | null;
    naive: string;
    /** (p50 − actual) ÷ actual × 100, 2 decimals; null when actual is 0. */
    errorPercent: number | null;
  }[];
  /** Mean |errorPercent|. */
  mapePercent: number | null;
  /** The same for the naive forecast ("same as last month"). */
  naiveMapePercent: number | null;
  /** Share of months whose actual lies within p10..p90 (a month without an interval is outside). */
  coveragePercent: number | null;
  /** Mean errorPercent (signed: positive = forecast too high). */
  biasPercent: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/**
 * For each of the last `months` complete months, the fleet's month-end figure forecast from the
 * month-end figures before the month started only (anchored at the previous month-end), plus the
 * scheduled decommissions known then that fall within the month (vps_decommission_schedule_changes),
 * against the actual month-end figure.
 */
export async function backtest(db: SqlRunner, o: { months: number; now?: Date }): Promise<Backtest> {
  const now = o.now ?? new Date();
  const history = await loadHistory(db, { now, keep: o.months + WINDOW, scope: { scope: "fleet", scopeId: "" } }); // prettier-ignore
  const series = history.series.get(scopeKey("fleet", "")) ?? history.months.map(() => 0n);
  const effects = await backtestKnownEffects(db, history.months.slice(-o.months));
  const known = new Map([...effects].map(([m, e]) => [m, centsOf(e) ?? 0n]));
  return backtestSeries(history.months, series, o.months, known);
}

/**
 * The backtest of a month-end series (pure; also used by the benchmark and the demo). `known`: per
 * month, the effect (cents) of the known changes known before it began (none when absent).
 */
export function backtestSeries(
  months: string[],
  series: bigint[],
  n: number,
  known: ReadonlyMap<string, bigint> = new Map(),
): Backtest {
  const rows: Backtest["months"] = [];
  const errors: number[] = [];
  const naiveErrors: number[] = [];
  let covered = 0;
  for (let t = Math.max(1, months.length - n); t < months.length; t++) {
    const before = historyOf(series.slice(0, t));
    const previous = series[t - 1] ?? 0n;
    const actual = series[t] ?? 0n;
    const effect = known.get(months[t] ?? "") ?? 0n;
    const p = forecastPoint(before, { anchor: Number(previous), known: Number(effect), steps: 1 });
    const err = actual > 0n ? round2(((Number(p.p50) - Number(actual)) / Number(actual)) * 100) : null;
    if (err !== null) {
      errors.push(err);
      naiveErrors.push(((Number(previous) - Number(actual)) / Number(actual)) * 100);
    }
    if (p.p10 !== null && p.p90 !== null && actual >= p.p10 && actual <= p.p90) covered++;
    rows.push({
      month: months[t] ?? "",
      actual: formatCents(actual),
      p10: p.p10 === null ? null : formatCents(p.p10),
      p50: formatCents(p.p50),
      p90: p.p90 === null ? null : formatCents(p.p90),
      naive: formatCents(previous),
      errorPercent: err,
    });
  }
  return {
    months: rows,
    mapePercent: mean(errors.map(Math.abs)),
    naiveMapePercent: mean(naiveErrors.map(Math.abs)),
    coveragePercent: rows.length ? round2((covered / rows.length) * 100) : null,
    biasPercent: mean(errors),
  };
}
