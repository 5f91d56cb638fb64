import { dampedGrowth, fitHolt, MIN_FIT_POINTS, quantile, type HoltFit } from "./holt.js";

/**
 * The forecast of one scope (docs/forecast.md, "Method"): anchored at the cost now (the run-rate),
 * plus the known changes in force by the month's end, plus the damped trend fitted on the past
 * month-end figures; the interval from the relative errors of the same method's own backtest on the
 * months before. All in cents (doubles), rounded to whole cents once, here.
 */

/** Complete months of history the full method needs before the month it forecasts. */
export const MIN_HISTORY_MONTHS = 6;
/** Months the trend is fitted on, and backtest errors the interval is drawn from, at most. */
export const WINDOW = 12;
/**
 * The error quantiles p10 and p90 are drawn at: with a dozen errors or fewer, the empirical 10th and
 * 90th percentiles sit inside the extremes seen and under-cover; the 5th and 95th are the choice the
 * backtest's coverage bears out (docs/forecast.md, "Interval").
 */
const Q_LO = 0.05;
const Q_HI = 0.95;

export interface Point {
  p10: bigint | null;
  p50: bigint;
  p90: bigint | null;
}

/**
 * The months of `series` (month-end cents, oldest first, all complete) that count as history: from
 * the first month with a cost on. A tenant that joined three months ago has three.
 */
export function historyOf(series: readonly bigint[]): number[] {
  const first = series.findIndex((c) => c > 0n);
  return first < 0 ? [] : series.slice(first).map(Number);
}

/**
 * The fit of `y` for its forecasts, computed once per series: a scope's months ahead all grow from
 * the same fit (fitting again for each gave the same numbers, 13 times over, for every scope).
 */
const fits = new WeakMap<readonly number[], HoltFit>();
function fitOf(y: readonly number[]): HoltFit {
  let fit = fits.get(y);
  if (!fit) fits.set(y, (fit = fitHolt(y.slice(-WINDOW))));
  return fit;
}

/**
 * `anchor` plus the damped trend fitted on the last WINDOW months of `y`, over `steps` months. An
 * additive trend: fitted on logarithms (growth in percent) it did worse on the backtest (MAPE and
 * bias), see docs/forecast.md.
 */
function grow(y: readonly number[], anchor: number, steps: number): number {
  return anchor + dampedGrowth(fitOf(y), steps);
}

/**
 * The relative errors (actual − p50) ÷ p50 of one-month-ahead forecasts of each month of `y` that
 * has MIN_FIT_POINTS months before it, each forecast from the months before only, anchored at the
 * previous month-end. The last WINDOW of them.
 */
export function backtestErrors(y: readonly number[]): number[] {
  const errors: number[] = [];
  for (let t = Math.max(MIN_FIT_POINTS, y.length - WINDOW); t < y.length; t++) {
    const before = y.slice(0, t);
    const anchor = before[before.length - 1] ?? 0;
    const p50 = before.length < MIN_FIT_POINTS ? anchor : grow(before, anchor, 1);
    const actual = y[t] ?? 0;
    if (p50 > 0) errors.push((actual - p50) / p50);
  }
  return errors;
}

/**
 * What a scope's forecasts need of its history, fitted once (and stored for the forecast of every
 * scope, docs/forecast.md "Stored fits"): the complete months of history, the damped trend (null
 * with fewer than MIN_HISTORY_MONTHS months) and the error quantiles of the interval (null without
 * an interval).
 */
export interface ScopeFit {
  historyMonths: number;
  trend: { trend: number; phi: number } | null;
  bounds: { lo: number; hi: number } | null;
}

/** The fit of a scope's history `y` (see historyOf); `errors` when already known (backtestErrors(y)). */
export function fitScope(y: readonly number[], errors?: number[]): ScopeFit {
  if (y.length < MIN_HISTORY_MONTHS) return { historyMonths: y.length, trend: null, bounds: null };
  const { trend, phi } = fitOf(y);
  const e = errors ?? backtestErrors(y);
  const bounds = e.length < MIN_HISTORY_MONTHS - MIN_FIT_POINTS ? null : boundsOf(e);
  return { historyMonths: y.length, trend: { trend, phi }, bounds };
}

/**
 * The forecast `steps` months after the last month of `y` ends (fractional: the current month
 * partly gone), from `anchor` plus `known` (known changes in force by then, cents). With fewer than
 * MIN_HISTORY_MONTHS months: anchor + known, no interval. The interval: p50 × (1 + q10|q90 of the
 * errors × √steps); none with fewer than MIN_HISTORY_MONTHS − MIN_FIT_POINTS errors.
 */
export function forecastPoint(
  y: readonly number[],
  o: { anchor: number; known: number; steps: number; errors?: number[] },
): Point {
  return pointOf(fitScope(y, o.errors), o);
}

/** The forecast from a scope's fit (fitScope, or stored): as forecastPoint. */
export function pointOf(fit: ScopeFit, o: { anchor: number; known: number; steps: number }): Point {
  const base = fit.trend === null ? o.anchor : o.anchor + dampedGrowth(fit.trend, o.steps);
  const p50 = Math.max(0, base + o.known);
  if (fit.bounds === null) return { p10: null, p50: toCents(p50), p90: null };
  const widen = Math.sqrt(Math.max(o.steps, 0.05));
  const { lo, hi } = fit.bounds;
  return { p10: toCents(Math.max(0, p50 * (1 + lo * widen))), p50: toCents(p50), p90: toCents(p50 * (1 + hi * widen)) };
}

/** The error quantiles of one scope's errors. */
function boundsOf(errors: readonly number[]): { lo: number; hi: number } {
  return { lo: Math.min(0, quantile(errors, Q_LO)), hi: Math.max(0, quantile(errors, Q_HI)) };
}

/** The one rounding: half away from zero to a whole cent. */
function toCents(x: number): bigint {
  return BigInt(Math.sign(x) * Math.round(Math.abs(x)));
}
