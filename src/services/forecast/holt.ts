/**
 * Holt's linear trend with damping (Gardner & McKenzie), fitted on month-end figures by a grid
 * search over (alpha, beta, phi) minimising the squared one-step-ahead errors. Pure arithmetic on
 * cents held in doubles: a forecast is an estimate, rounded once to the cent where it is reported
 * (docs/forecast.md, "Precision"); the figures it is fitted on are exact.
 */
export interface HoltFit {
  alpha: number;
  beta: number;
  phi: number;
  level: number;
  trend: number;
}

const ALPHAS = [0.2, 0.4, 0.6, 0.8, 1];
const BETAS = [0.05, 0.15, 0.3, 0.5];
const PHIS = [0.8, 0.9, 0.98];

/** The smallest series a trend is fitted on (three months: two changes). */
export const MIN_FIT_POINTS = 3;

function run(
  y: readonly number[],
  alpha: number,
  beta: number,
  phi: number,
): { sse: number; level: number; trend: number } {
  let level = y[0] ?? 0;
  let trend = (y[1] ?? level) - level;
  let sse = 0;
  for (let t = 1; t < y.length; t++) {
    const obs = y[t] ?? 0;
    const predicted = level + phi * trend;
    const e = obs - predicted;
    if (t >= 2) sse += e * e; // the first step only initialises the trend
    const newLevel = predicted + alpha * e;
    trend = phi * trend + beta * (newLevel - level - phi * trend);
    level = newLevel;
  }
  return { sse, level, trend };
}

/** The best fit on the grid; a series shorter than MIN_FIT_POINTS has no trend (0). */
export function fitHolt(y: readonly number[]): HoltFit {
  const last = y[y.length - 1] ?? 0;
  if (y.length < MIN_FIT_POINTS) return { alpha: 1, beta: 0, phi: 1, level: last, trend: 0 };
  let best: HoltFit | undefined;
  let bestSse = Infinity;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const phi of PHIS) {
        const r = run(y, alpha, beta, phi);
        if (r.sse < bestSse - 1e-9) {
          bestSse = r.sse;
          best = { alpha, beta, phi, level: r.level, trend: r.trend };
        }
      }
  return best ?? { alpha: 1, beta: 0, phi: 1, level: last, trend: 0 };
}

/**
 * The damped growth over `steps` months (may be fractional): trend × Σ φ^j for j = 1..steps, in
 * its continuous form trend × φ(1 − φ^steps)/(1 − φ).
 */
export function dampedGrowth(fit: Pick<HoltFit, "trend" | "phi">, steps: number): number {
  if (steps <= 0) return 0;
  if (fit.phi === 1) return fit.trend * steps;
  return (fit.trend * fit.phi * (1 - fit.phi ** steps)) / (1 - fit.phi);
}

/** The q-quantile (0..1) of `xs` by linear interpolation between order statistics. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] ?? 0;
  const b = s[hi] ?? a;
  return a + (b - a) * (pos - lo);
}
