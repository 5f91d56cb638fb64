/**
 * The parts of an invoice line read from several cells: who it is for (service id, relid, IP, host
 * name) and when (its period), with the bounds a real line stays within. docs/invoices.md.
 */
import type { InvoiceColumn } from "./columns.js";
import { normaliseType } from "./classify.js";
import {
  addMonths,
  dayNumber,
  formatDate,
  parseDate,
  periodDays,
  periodFromDescription,
  withoutPeriodSuffix,
  type CalendarDate,
  type DateOrder,
  type Parsed,
  type Period,
} from "./dates.js";
import { hostFromDescription, parseHostname, parseServiceId } from "./fields.js";
import { parseIp } from "./ip.js";

/** A reason the line cannot be used; the validator turns it into a bad line. */
export class Refusal extends Error {
  constructor(message: string) {
    // A refusal never leaves the validator (it becomes a bad line's reason), so its stack is never
    // read; capturing one per bad line cost more than the rest of reading the line.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

export function need<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Refusal(parsed.reason);
  return parsed.value;
}

export type Cell = (column: InvoiceColumn) => string;

/** Thirty-six months (Hostwinds' longest cycle) is at most 1096 days; longer is a typo. */
const MAX_PERIOD_DAYS = 1096;
/** A period lies within this many years of its invoice's date; further is a typo in a year. */
const PERIOD_YEARS_FROM_INVOICE = 3;

/** Where the service id came from. */
export type ServiceIdSource = "service_id" | "relid";
/** Where the host name came from: its column, `(host)` in the description, or after " - " in it. */
export type HostnameSource = "column" | "description";

export interface Identity {
  serviceId?: string;
  serviceIdSource?: ServiceIdSource;
  hostname?: string;
  hostnameSource?: HostnameSource;
  ip?: string;
}

/** A service id cell: empty, or 0 (WHMCS's "no service"), is no service id. */
function serviceIdCell(text: string): string | undefined {
  if (text === "") return undefined;
  // Digits without a leading zero are what parseServiceId gives back as they are.
  if (text.length <= 15 && isPlainNumber(text)) return text;
  return /^\s*0*\s*$/.test(text) ? undefined : need(parseServiceId(text));
}

/** Digits only, the first not 0. */
function isPlainNumber(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first < 0x31 || first > 0x39) return false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * Who the line is for. `relid` is the service id only where WHMCS means one (`Hosting`,
 * `PromoHosting`); for an `Addon` or an `Upgrade` it is that item's own id and is not read.
 */
export function readIdentity(
  cell: Cell,
  description: string,
  hostOf: (description: string) => { host: string } | undefined = hostInDescription,
): Identity {
  const id: Identity = {};
  const fromColumn = serviceIdCell(cell("service_id"));
  const type = cell("type");
  const relidIsService = type !== "" && ["hosting", "promohosting"].includes(normaliseType(type));
  const fromRelid = relidIsService ? serviceIdCell(cell("relid")) : undefined;
  if (fromColumn !== undefined) [id.serviceId, id.serviceIdSource] = [fromColumn, "service_id"];
  else if (fromRelid !== undefined) [id.serviceId, id.serviceIdSource] = [fromRelid, "relid"];
  if (cell("ip").trim() !== "") id.ip = need(parseIp(cell("ip")));
  if (cell("hostname").trim() !== "") {
    [id.hostname, id.hostnameSource] = [need(parseHostname(cell("hostname"))), "column"];
  } else {
    const found = hostOf(description);
    if (found !== undefined) [id.hostname, id.hostnameSource] = [found.host, "description"];
  }
  return id;
}

/** The host name a description gives, its periods left out. */
export const hostInDescription = (description: string) => hostFromDescription(withoutPeriodSuffix(description));

export interface FoundPeriod {
  period: Period;
  source: "columns" | "description";
}

/** The period from its columns; when both are empty, from the description; else none. */
export function readPeriod(
  cell: Cell,
  description: string,
  order: DateOrder,
  periodOf: (description: string, order: DateOrder) => ReturnType<typeof periodFromDescription> = periodFromDescription,
): FoundPeriod | undefined {
  const [startText, endText] = [cell("period_start").trim(), cell("period_end").trim()];
  if (startText !== "" || endText !== "") {
    const [empty, given] = startText === "" ? ["start", "end"] : ["end", "start"];
    if (startText === "" || endText === "") throw new Refusal(`period_${empty} is empty but period_${given} is not`);
    const start = need(parseDate(startText, "period_start", order));
    return { period: { start, end: need(parseDate(endText, "period_end", order)) }, source: "columns" };
  }
  const inDescription = periodOf(description, order);
  return inDescription === undefined ? undefined : { period: need(inDescription), source: "description" };
}

/**
 * A period must end after it starts, last at most 36 months, and lie within a few years of its
 * invoice (`(11/01/2062 - 11/30/2062)` on a 2026 invoice is a typo the import must not spread).
 */
export function checkPeriod(found: FoundPeriod, invoiceDate: CalendarDate): void {
  const { start, end } = found.period;
  if (periodDays(found.period) < 1)
    throw new Refusal(`the period ends (${formatDate(end)}) before it starts (${formatDate(start)})`);
  if (periodDays(found.period) > MAX_PERIOD_DAYS)
    throw new Refusal(`the period ${formatDate(start)} - ${formatDate(end)} is longer than 36 months`);
  const months = PERIOD_YEARS_FROM_INVOICE * 12;
  const [earliest, latest] = [addMonths(invoiceDate, -months), addMonths(invoiceDate, months)];
  if (dayNumber(start) < dayNumber(earliest) || dayNumber(end) > dayNumber(latest)) {
    throw new Refusal(
      `the period ${formatDate(start)} - ${formatDate(end)} is not within ${String(PERIOD_YEARS_FROM_INVOICE)} years ` +
        `of the invoice date ${formatDate(invoiceDate)} (a typo in a year?)`,
    );
  }
}

/** A NUL character is never text a person typed: the cell, and the line, cannot be trusted. */
export function checkNoNul(fields: readonly string[]): void {
  let at = -1;
  for (let i = 0; i < fields.length && at < 0; i++) if (fields[i]?.includes("\u0000")) at = i;
  if (at >= 0) throw new Refusal(`field ${String(at + 1)} holds a NUL character (a binary or damaged file?)`);
}

/**
 * The periods of the latest Hosting lines seen, by invoice and service, so that a `PromoHosting`
 * line without a period of its own takes its service's (WHMCS lists it right after that line).
 * Bounded: memory does not grow with the file.
 */
export class HostingPeriods {
  // Two generations instead of one Map evicting its oldest key: deleting from the front of a Map
  // leaves holes that `keys().next()` walks on every eviction, which made each line cost O(max).
  #current = new Map<string, FoundPeriod>();
  #previous = new Map<string, FoundPeriod>();
  readonly #half: number;
  /** Keeps at least the latest `max / 2` periods and never more than `max`. */
  constructor(max = 10_000) {
    this.#half = Math.max(1, Math.ceil(max / 2));
  }

  remember(invoiceNumber: string, serviceId: string, found: FoundPeriod): void {
    const key = `${invoiceNumber}\u0000${serviceId}`;
    if (this.#current.size >= this.#half && !this.#current.has(key)) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, found);
  }

  of(invoiceNumber: string, serviceId: string): FoundPeriod | undefined {
    const key = `${invoiceNumber}\u0000${serviceId}`;
    return this.#current.get(key) ?? this.#previous.get(key);
  }
}
