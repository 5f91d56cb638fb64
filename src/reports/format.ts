/**
 * Small deterministic formatters. Nothing here reads the clock or the locale, so the
 * same input always renders the same page (toLocaleString would vary by machine).
 */

const HOUR_MS = 3_600_000;

/** "1,234,567" for a non-negative integer. */
export function groupThousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** How long before `now` the instant `at` was: "just now", "35 min ago", "5 h ago", "3 d 4 h ago". */
export function formatAge(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  if (ms < 0) return "in the future (clock skew?)";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${String(minutes)} min ago`;
  const hours = Math.floor(ms / HOUR_MS);
  if (hours < 48) return `${String(hours)} h ago`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 || days >= 14 ? `${String(days)} d ago` : `${String(days)} d ${String(rest)} h ago`;
}

/** Throws unless `d` is a valid Date: toISOString would throw a less helpful RangeError later. */
export function assertDate(d: unknown, field: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime()))
    throw new TypeError(`executive page: ${field} is not a valid Date`);
}

/** A share of a whole as "42.1%" (counts or geometry floats: a share is not an amount). */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return "0%";
  const pct = (part / whole) * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** An axis tick: "0", "250", "2,500", "1.25M", "0.5"; ticks are scale marks, not amounts from the data. */
export function formatTick(value: number): string {
  if (value >= 1_000_000) return `${trimZeros((value / 1_000_000).toFixed(2))}M`;
  if (value >= 1000) return groupThousands(Math.round(value));
  return trimZeros(value.toFixed(2));
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** A "nice" axis from 0 to at least `max` (top 1, 2, 2.5 or 5 x 10^k) and its ticks, 0 first. */
export function niceScale(max: number): { top: number; ticks: number[] } {
  const positive = max > 0 && Number.isFinite(max) ? max : 1;
  const magnitude = 10 ** Math.floor(Math.log10(positive));
  // Each top with a division count whose ticks stay round (2.5 / 5 -> 0.5, not 0.625).
  const steps: [number, number][] = [
    [1, 4],
    [2, 4],
    [2.5, 5],
    [5, 5],
    [10, 5],
  ];
  const [step, divisions] = steps.find(([s]) => s * magnitude >= positive) ?? [10, 5];
  const top = step * magnitude;
  return { top, ticks: Array.from({ length: divisions + 1 }, (_, i) => (top * i) / divisions) };
}
