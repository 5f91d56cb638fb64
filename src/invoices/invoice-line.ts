/**
 * One CSV record of an invoice file -> a valid `InvoiceLine`, or a `BadLine` with the first reason
 * it cannot be used. The rules are in docs/invoices.md.
 */
import type { Classification, LineCategory, LineKind } from "./classify.js";
import type { HeaderInfo } from "./columns.js";
import { parseDate, type CalendarDate, type DateOrder } from "./dates.js";
import { AMOUNT_LIMIT_CENTS, parseCurrency } from "./fields.js";
import {
  checkNoNul,
  checkPeriod,
  HostingPeriods,
  need,
  readIdentity,
  readPeriod,
  Refusal,
  type Cell,
  type FoundPeriod,
  type HostnameSource,
  type Identity,
  type ServiceIdSource,
} from "./line-parts.js";
import { LineMemo, type DescriptionReading } from "./line-memo.js";
import type { MonthlyEquivalent } from "./monthly-equivalent.js";

/** A usable invoice line. Dates are `YYYY-MM-DD`; money is integer cents. */
export interface InvoiceLine {
  type: "line";
  lineNumber: number;
  invoiceNumber: string;
  invoiceDate: string;
  /** WHMCS's item type as the file gives it (`Hosting`, `PromoHosting`, `Addon`, ...), if it does. */
  lineType?: string;
  /** WHMCS's relid as the file gives it (the service id only for Hosting and PromoHosting). */
  relid?: string;
  /** Digits without leading zeros, as `hostwinds_instance_id` is matched. */
  serviceId?: string;
  serviceIdSource?: ServiceIdSource;
  hostname?: string;
  /** Where the host name came from: its column, or the description (in parentheses or after " - "). */
  hostnameSource?: HostnameSource;
  /** Normalised (`parseIp`). */
  ip?: string;
  description: string;
  /** Negative for a credit. */
  amountCents: bigint;
  isCredit: boolean;
  currency: "USD";
  period?: { start: string; end: string; source: "columns" | "description" | "service line" };
  kind: LineKind;
  category: LineCategory;
  isHourlyOrUsage: boolean;
  monthly: MonthlyEquivalent;
}

/** A line that is not imported, and why. */
export interface BadLine {
  type: "bad";
  lineNumber: number;
  reason: string;
  /** The line's invoice, when its number could be read. */
  invoiceNumber?: string;
}

/**
 * Validates the records of one file in order, with the file's date order. Lines are not numbered
 * per invoice here (the import numbers them in the database), so memory does not grow with the
 * number of invoices; only a bounded cache of Hosting periods is kept (`HostingPeriods`).
 */
export class LineValidator {
  readonly #header: HeaderInfo;
  readonly #order: DateOrder;
  readonly #hosting = new HostingPeriods();
  readonly #memo = new LineMemo();
  /** Without a type column no line is a PromoHosting one, so no Hosting period is ever looked up. */
  readonly #promoPossible: boolean;
  /** The record being validated, read by `#cell` (one function for every line, not one per line). */
  #fields: readonly string[] = [];
  readonly #cell: Cell = (column) => {
    const i = this.#header.columns[column];
    return i === undefined ? "" : (this.#fields[i] ?? "");
  };

  constructor(header: HeaderInfo, order: DateOrder = "mdy") {
    this.#header = header;
    this.#order = order;
    this.#promoPossible = header.columns.type !== undefined;
  }

  /** The line, or why it is bad; undefined for a row whose cells are all empty (skipped). */
  validate(record: { lineNumber: number; fields: readonly string[] }): InvoiceLine | BadLine | undefined {
    const { lineNumber, fields } = record;
    if (allBlank(fields)) return undefined;
    this.#fields = fields;
    const cell = this.#cell;
    let invoiceNumber: string | undefined;
    try {
      checkNoNul(fields);
      invoiceNumber = need(this.#memo.invoiceNumber(cell("invoice_number")));
      checkFieldCount(fields, this.#header.fieldCount);
      return this.#build(cell, { lineNumber, invoiceNumber });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      return {
        type: "bad",
        lineNumber,
        reason: err.message,
        ...(invoiceNumber === undefined ? {} : { invoiceNumber }),
      };
    }
  }

  #build(cell: Cell, at: Pick<InvoiceLine, "lineNumber" | "invoiceNumber">): InvoiceLine {
    const memo = this.#memo;
    const invoiceDate = need(parseDate(cell("invoice_date"), "invoice_date", this.#order));
    const amountCents = need(memo.amount(cell("amount")));
    const currency = need(parseCurrency(cell("currency")));
    const read = memo.described(cell("description").trim());
    // The kept reading's string: every line of a description holds one copy of its text.
    const description = read.description;
    if (description === "") throw new Refusal("description is empty");
    const lineType = cell("type").trim();
    const identity = readIdentity(cell, description, read.host);
    const cls = read.classification(identity.ip !== undefined, lineType);
    const found = this.#period(cell, { read, cls, identity, invoiceDate, invoiceNumber: at.invoiceNumber });
    needsPeriodAndMatch(cls.kind, cls.category, found !== undefined, identity);
    if (
      this.#promoPossible &&
      found &&
      cls.category === "vps" &&
      identity.serviceId !== undefined &&
      found.source !== "service line"
    )
      this.#hosting.remember(at.invoiceNumber, identity.serviceId, found);
    const invoiceDay = memo.day(invoiceDate);
    const period = found && { start: memo.day(found.period.start), end: memo.day(found.period.end) };
    // A period of a description and an invoice date are objects the caches keep: they are the key.
    const monthly =
      found === undefined || found.source === "description"
        ? memo.monthlyOver(amountCents, found?.period, invoiceDate)
        : memo.monthlyOf({ amountCents, period, dates: found.period, invoiceDate, invoiceDay });
    if (monthly.monthlyCents >= AMOUNT_LIMIT_CENTS || monthly.monthlyCents <= MINUS_AMOUNT_LIMIT_CENTS)
      throw new Refusal(`its monthly equivalent over ${String(monthly.days)} days is 1,000,000.00 or more`);
    const relid = cell("relid").trim();
    // Built property by property: spreading a dozen small objects per line cost more than reading it.
    const line: InvoiceLine = {
      type: "line",
      lineNumber: at.lineNumber,
      invoiceNumber: at.invoiceNumber,
      invoiceDate: invoiceDay,
      description,
      amountCents,
      isCredit: amountCents < 0n,
      currency,
      kind: cls.kind,
      category: cls.category,
      isHourlyOrUsage: cls.isHourlyOrUsage,
      monthly,
    };
    if (lineType !== "") line.lineType = lineType;
    if (relid !== "") line.relid = relid;
    Object.assign(line, identity);
    if (found && period) line.period = { start: period.start, end: period.end, source: found.source };
    return line;
  }

  /** The line's period, checked: its cells, its description, or its service's Hosting line (a promotion). */
  #period(
    cell: Cell,
    o: {
      read: DescriptionReading;
      cls: Classification;
      identity: Identity;
      invoiceDate: CalendarDate;
      invoiceNumber: string;
    },
  ): FoundPeriod | { period: FoundPeriod["period"]; source: "service line" } | undefined {
    const { read, invoiceDate } = o;
    // Empty period cells (most lines): the description's period, found once per description.
    const fromDescription = cell("period_start") === "" && cell("period_end") === "";
    let found: (FoundPeriod | { period: FoundPeriod["period"]; source: "service line" }) | undefined = fromDescription
      ? read.foundPeriod(this.#order)
      : readPeriod(cell, read.description, this.#order, read.period);
    if (found === undefined && o.cls.category === "promo" && o.identity.serviceId !== undefined) {
      const own = this.#hosting.of(o.invoiceNumber, o.identity.serviceId);
      if (own !== undefined) found = { period: own.period, source: "service line" };
    }
    if (found !== undefined) {
      if (fromDescription && found.source === "description") read.checkFoundPeriod(found, invoiceDate);
      else checkPeriod(found as FoundPeriod, invoiceDate);
    }
    return found;
  }
}

const MINUS_AMOUNT_LIMIT_CENTS = -AMOUNT_LIMIT_CENTS;

/** Every cell empty or blank. */
function allBlank(fields: readonly string[]): boolean {
  for (const f of fields) if (f !== "" && f.trim() !== "") return false;
  return true;
}

/** vps and ip lines need a period and something to be matched by; other lines need neither. */
function needsPeriodAndMatch(
  kind: LineKind,
  category: LineCategory,
  hasPeriod: boolean,
  id: { serviceId?: string; ip?: string; hostname?: string },
): void {
  if (kind === "other") return;
  const aKind = category === "promo" ? "a PromoHosting" : kind === "ip" ? "an ip" : "a vps";
  if (!hasPeriod) {
    const why =
      category === "promo"
        ? "it has none and no Hosting line of its service comes before it on the invoice"
        : "period_start and period_end are empty and the description has no (start - end)";
    throw new Refusal(`${aKind} line needs a period: ${why}`);
  }
  if (id.serviceId === undefined && id.ip === undefined && id.hostname === undefined)
    throw new Refusal(`${aKind} line needs a service_id, a relid, an ip or a host name to be matched`);
}

/** Fewer cells than the header is refused; more only when the extra cells are empty (a trailing comma). */
function checkFieldCount(fields: readonly string[], expected: number): void {
  let extra = false;
  for (let i = expected; i < fields.length && !extra; i++) extra = fields[i]?.trim() !== "";
  if (fields.length < expected || extra) {
    throw new Refusal(`the line has ${fields.length} fields, the header has ${expected}`);
  }
}
