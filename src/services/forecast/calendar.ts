import { monthOf, nextMonth } from "../../months.js";

/** UTC calendar arithmetic the forecast needs (months written YYYY-MM). */

export const addMonths = (month: string, n: number): string => {
  const [y, m] = month.split("-").map(Number);
  return monthOf(new Date(Date.UTC(y ?? 0, (m ?? 1) - 1 + n, 1)));
};

export const monthStartMs = (month: string): number => Date.parse(`${month}-01T00:00:00Z`);

/** The months from `first` to `last`, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) out.push(m);
  return out;
}

/** How much of `now`'s month has gone by, 0..1. */
export function elapsedFraction(now: Date): number {
  const month = monthOf(now);
  const start = monthStartMs(month);
  return (now.getTime() - start) / (monthStartMs(nextMonth(month)) - start);
}
