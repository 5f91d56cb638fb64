/**
 * Calendar dates of invoices: no time, no zone. Day arithmetic goes through UTC day numbers
 * (whole numbers of milliseconds, so exact).
 */

/** A calendar date; `month` is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A parsed value, or why the text is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DAY_MS = 86_400_000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? NaN);
}

/**
 * Parses `YYYY-MM-DD` or `MM/DD/YYYY` (Hostwinds' US format; `M/D/YYYY` as spreadsheets write it).
 * `what` names the value in the reason. An impossible date such as 02/30/2026 is refused.
 */
export function parseDate(text: string, what = "date"): Parsed<CalendarDate> {
  const t = text.trim();
  const iso = ISO.exec(t);
  const us = US.exec(t);
  const parts = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : undefined;
  if (!parts) return { ok: false, reason: `${what} ${JSON.stringify(t)} is not a date (YYYY-MM-DD or MM/DD/YYYY)` };
  const [year, month, day] = parts.map(Number);
  const date = { year: year ?? NaN, month: month ?? NaN, day: day ?? NaN };
  const real = date.year >= 1000 && date.month >= 1 && date.month <= 12 && date.day >= 1;
  if (!real || date.day > daysInMonth(date.year, date.month)) {
    return { ok: false, reason: `${what} ${t} is not a real date` };
  }
  return { ok: true, value: date };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** 2026-11-01 */
export function formatDate(d: CalendarDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** The calendar month, `YYYY-MM`. */
export function monthKey(d: Pick<CalendarDate, "year" | "month">): string {
  return `${pad(d.year, 4)}-${pad(d.month)}`;
}

export function dayNumber(d: CalendarDate): number {
  return Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
}

export function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date((dayNumber(d) + days) * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The same day n months later, clamped to the month's last day (01/31 + 1 month = 02/28). */
export function addMonths(d: CalendarDate, n: number): CalendarDate {
  const index = d.year * 12 + (d.month - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(d.day, daysInMonth(year, month)) };
}

export function isLastDayOfMonth(d: CalendarDate): boolean {
  return d.day === daysInMonth(d.year, d.month);
}

/** Whole calendar months from a's month to b's month (2026-11 -> 2027-01 is 2). */
export function monthsBetween(a: CalendarDate, b: CalendarDate): number {
  return (b.year - a.year) * 12 + (b.month - a.month);
}

/** A service period, both days included. */
export interface Period {
  start: CalendarDate;
  end: CalendarDate;
}

/** Days in the period, both ends included (11/01-11/30 is 30). */
export function periodDays(p: Period): number {
  return dayNumber(p.end) - dayNumber(p.start) + 1;
}

const DATE = String.raw`\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}`;
/** WHMCS ends an item's description with its period: `... (11/01/2026 - 11/30/2026)`. */
const PERIOD_SUFFIX = new RegExp(String.raw`\(\s*(${DATE})\s+-\s+(${DATE})\s*\)\s*$`);

/** The `(MM/DD/YYYY - MM/DD/YYYY)` suffix of a description: undefined when there is none. */
export function periodFromDescription(
  description: string,
): Parsed<{ start: CalendarDate; end: CalendarDate }> | undefined {
  const m = PERIOD_SUFFIX.exec(description);
  if (!m) return undefined;
  const start = parseDate(m[1] ?? "", "period start in the description");
  if (!start.ok) return start;
  const end = parseDate(m[2] ?? "", "period end in the description");
  if (!end.ok) return end;
  return { ok: true, value: { start: start.value, end: end.value } };
}

/** The description without its period suffix (to look for a hostname before it). */
export function withoutPeriodSuffix(description: string): string {
  return description.replace(PERIOD_SUFFIX, "").trimEnd();
}
