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
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? NaN);
}

/**
 * How a file writes its slash dates: month first (`11/30/2026`, US installations and ledgers) or
 * day first (`30/11/2026`, WHMCS's own documentation). Decided once per file (`detectDateOrder`).
 */
export type DateOrder = "mdy" | "dmy";

/**
 * Parses `YYYY-MM-DD`, or a slash date in the file's `order` (`MM/DD/YYYY` by default; one-digit
 * days and months as spreadsheets write them). `what` names the value in the reason. An impossible
 * date such as 02/30/2026 is refused.
 */
export function parseDate(text: string, what = "date", order: DateOrder = "mdy"): Parsed<CalendarDate> {
  // A file holds few distinct dates, each on many lines: a date read once is not read again.
  const read = READ_DATES[order];
  const known = read.get(text);
  if (known !== undefined) return known;
  const parsed = readDate(text, what, order);
  if (parsed.ok) {
    if (read.size >= READ_DATES_MAX) read.clear();
    read.set(text, parsed);
  }
  return parsed;
}

/**
 * Dates already read (frozen, shared by the lines that give them), by order then text; bounded.
 * One map per order: a key made of both would be a new string to build and hash on every call.
 */
const READ_DATES: Readonly<Record<DateOrder, Map<string, Parsed<CalendarDate>>>> = { mdy: new Map(), dmy: new Map() };
const READ_DATES_MAX = 4096;

function readDate(text: string, what: string, order: DateOrder): Parsed<CalendarDate> {
  const t = text.trim();
  const iso = ISO.exec(t);
  const us = US.exec(t);
  const slash = us && (order === "mdy" ? [us[3], us[1], us[2]] : [us[3], us[2], us[1]]);
  const parts = iso ? [iso[1], iso[2], iso[3]] : (slash ?? undefined);
  const form = order === "mdy" ? "MM/DD/YYYY" : "DD/MM/YYYY";
  if (!parts) return { ok: false, reason: `${what} ${JSON.stringify(t)} is not a date (YYYY-MM-DD or ${form})` };
  const [year, month, day] = parts.map(Number);
  const date = { year: year ?? NaN, month: month ?? NaN, day: day ?? NaN };
  const real = date.year >= 1000 && date.month >= 1 && date.month <= 12 && date.day >= 1;
  if (!real || date.day > daysInMonth(date.year, date.month)) {
    return { ok: false, reason: `${what} ${t} is not a real date` };
  }
  return Object.freeze({ ok: true, value: Object.freeze(date) });
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
/**
 * WHMCS writes an item's period in parentheses, `(11/01/2026 - 11/30/2026)`: at the end of the
 * first line for a hosting item, at the end of the second for an upgrade, before option lines.
 */
const PERIOD = new RegExp(String.raw`\(\s*(${DATE})\s+-\s+(${DATE})\s*\)`);
const PERIODS = new RegExp(PERIOD.source, "g");

/** The first `(start - end)` anywhere in a description: undefined when there is none. */
export function periodFromDescription(
  description: string,
  order: DateOrder = "mdy",
): Parsed<{ start: CalendarDate; end: CalendarDate }> | undefined {
  const m = PERIOD.exec(description);
  if (!m) return undefined;
  const start = parseDate(m[1] ?? "", "period start in the description", order);
  if (!start.ok) return start;
  const end = parseDate(m[2] ?? "", "period end in the description", order);
  if (!end.ok) return end;
  return { ok: true, value: { start: start.value, end: end.value } };
}

/** The description without its periods (to look for a host name or a kind of charge in it). */
export function withoutPeriodSuffix(description: string): string {
  return description
    .replace(PERIODS, " ")
    .replace(/[ \t]+$/gm, "")
    .trimEnd();
}

const SLASH_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g;

/**
 * The order a slash date shows by itself: a first number above 12 can only be a day (`dmy`), a
 * second one above 12 only a day too (`mdy`); `undefined` when both are 12 or less (`01/02/2026`).
 */
export function orderShownBy(text: string): DateOrder | undefined {
  for (const m of text.matchAll(SLASH_DATE)) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a > 12 && b <= 12) return "dmy";
    if (b > 12 && a <= 12) return "mdy";
  }
  return undefined;
}

/** Whether the text holds a slash date at all. */
export const hasSlashDate = (text: string): boolean => /\b\d{1,2}\/\d{1,2}\/\d{4}\b/.test(text);
