/**
 * An invoiced amount as a monthly figure, comparable with the model's `approximate_cost`: exact
 * integer arithmetic, rounded half-up to the cent once at the end, as `monthlyPrice` does.
 */
import { toCentsHalfUp } from "../money.js";
import {
  addDays,
  addMonths,
  isLastDayOfMonth,
  monthKey,
  monthsBetween,
  periodDays,
  type CalendarDate,
  type Period,
} from "./dates.js";

/** The average month is 365.25 / 12 = 1461 / 48 days. */
const AVG_MONTH_NUM = 1461n;
const AVG_MONTH_DEN = 48n;

/** A figure for one calendar month, `YYYY-MM`. */
export interface MonthFigure {
  month: string;
  cents: bigint;
}

/**
 * - `whole-months`: the period is n whole months; each of the n months from the start's month gets
 *   amount / n, and the n figures add up to the amount exactly.
 * - `days`: any other period; the amount is prorated by days to an average month.
 * - `one-off`: no period (only `other` lines may have none); the amount falls in the invoice's month.
 */
export type MonthlyMethod = "whole-months" | "days" | "one-off";

export interface MonthlyEquivalent {
  method: MonthlyMethod;
  /** n for `whole-months`. */
  months?: number;
  /** Days in the period, both ends included; absent for `one-off`. */
  days?: number;
  /** The monthly figure, rounded half-up once. */
  monthlyCents: bigint;
  /** The calendar months the monthly figure applies to, with each month's figure. */
  perMonth: MonthFigure[];
}

export interface MonthlyInput {
  /** The line's amount; negative for a credit. */
  amountCents: bigint;
  period?: Period | undefined;
  /** Gives the month of a line without a period. */
  invoiceDate: CalendarDate;
}

/**
 * numerator / divisor in cents, half-up once. A negative amount is rounded as its magnitude and
 * negated (half away from zero), so a credit mirrors the charge it cancels to the cent.
 */
export function divideHalfUp(numeratorCents: bigint, divisor: bigint): bigint {
  const magnitude = toCentsHalfUp({ units: numeratorCents < 0n ? -numeratorCents : numeratorCents, scale: 2 }, divisor);
  return numeratorCents < 0n ? -magnitude : magnitude;
}

/**
 * Splits an amount into n figures that add up to it exactly: each gets the amount / n truncated to
 * the cent, and the leftover cents (fewer than n) go one each to the earliest months. A credit is
 * split as its magnitude, negated.
 */
export function splitEvenly(cents: bigint, n: number): bigint[] {
  const sign = cents < 0n ? -1n : 1n;
  const magnitude = cents * sign;
  const base = magnitude / BigInt(n);
  const leftover = Number(magnitude % BigInt(n));
  return Array.from({ length: n }, (_, i) => sign * (base + (i < leftover ? 1n : 0n)));
}

/**
 * n when the period is n whole months, anniversary style: the day after its end is its start
 * moved n months (clamped: 01/31 + 1 month is 02/28), as in 11/15-12/14 or 11/01-01/31. A period
 * from a month's last day to the day before a later month's last day also counts (02/28-03/30
 * continues an anniversary on the 31st). Undefined otherwise.
 */
export function wholeMonths(period: Period): number | undefined {
  const next = addDays(period.end, 1);
  const n = monthsBetween(period.start, next);
  if (n < 1) return undefined;
  const anniversary = addMonths(period.start, n);
  const same = anniversary.year === next.year && anniversary.month === next.month && anniversary.day === next.day;
  return same || (isLastDayOfMonth(period.start) && isLastDayOfMonth(next)) ? n : undefined;
}

/** n consecutive calendar months from `start`'s. */
function monthsFrom(start: CalendarDate, n: number): string[] {
  return Array.from({ length: n }, (_, i) => monthKey(addMonths({ ...start, day: 1 }, i)));
}

/**
 * The monthly equivalent of an invoice line.
 *
 * Whole months: amount / n. Otherwise by days: amount × 1461 / (48 × days), i.e. the amount per
 * day times the average month of 365.25 / 12 days; it applies to as many months from the start's
 * month as the period holds average months, rounded half-up, at least one (a part-month
 * proration applies to its start month). Those figures are the rate, not a split of the amount.
 */
export function monthlyEquivalent(input: MonthlyInput): MonthlyEquivalent {
  const { amountCents, period } = input;
  if (!period) {
    return {
      method: "one-off",
      monthlyCents: amountCents,
      perMonth: [{ month: monthKey(input.invoiceDate), cents: amountCents }],
    };
  }
  const days = periodDays(period);
  const n = wholeMonths(period);
  if (n !== undefined) {
    const split = splitEvenly(amountCents, n);
    const perMonth = monthsFrom(period.start, n).map((month, i) => ({ month, cents: split[i] ?? 0n }));
    return { method: "whole-months", months: n, days, monthlyCents: divideHalfUp(amountCents, BigInt(n)), perMonth };
  }
  const monthlyCents = divideHalfUp(amountCents * AVG_MONTH_NUM, AVG_MONTH_DEN * BigInt(days));
  const spanned = Number((2n * BigInt(days) * AVG_MONTH_DEN + AVG_MONTH_NUM) / (2n * AVG_MONTH_NUM));
  const perMonth = monthsFrom(period.start, Math.max(1, spanned)).map((month) => ({ month, cents: monthlyCents }));
  return { method: "days", days, monthlyCents, perMonth };
}
