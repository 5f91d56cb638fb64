/**
 * One CSV record of an invoice file -> a valid `InvoiceLine`, or a `BadLine` with the first reason
 * it cannot be used. The rules are in docs/invoices.md.
 */
import type { LineCategory, LineKind } from "./classify.js";
import type { HeaderInfo } from "./columns.js";
import { formatDate, parseDate, type DateOrder } from "./dates.js";
import { AMOUNT_LIMIT_CENTS, parseAmountCents, parseCurrency, parseInvoiceNumber } from "./fields.js";
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
  type ServiceIdSource,
} from "./line-parts.js";
import { LineMemo } from "./line-memo.js";
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

  constructor(header: HeaderInfo, order: DateOrder = "mdy") {
    this.#header = header;
    this.#order = order;
  }

  /** The line, or why it is bad; undefined for a row whose cells are all empty (skipped). */
  validate(record: { lineNumber: number; fields: readonly string[] }): InvoiceLine | BadLine | undefined {
    const { lineNumber, fields } = record;
    if (fields.every((f) => f.trim() === "")) return undefined;
    const cell: Cell = (column) => {
      const i = this.#header.columns[column];
      return i === undefined ? "" : (fields[i] ?? "");
    };
    let invoiceNumber: string | undefined;
    try {
      checkNoNul(fields);
      invoiceNumber = need(parseInvoiceNumber(cell("invoice_number")));
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
    const invoiceDate = need(parseDate(cell("invoice_date"), "invoice_date", this.#order));
    const amountCents = need(parseAmountCents(cell("amount")));
    const currency = need(parseCurrency(cell("currency")));
    const description = cell("description").trim();
    if (description === "") throw new Refusal("description is empty");
    const lineType = cell("type").trim();
    const read = this.#memo.described(description);
    const identity = readIdentity(cell, description, read.host);
    const cls = read.classification(identity.ip !== undefined, lineType);
    let found: (FoundPeriod | { period: FoundPeriod["period"]; source: "service line" }) | undefined = readPeriod(
      cell,
      description,
      this.#order,
      read.period,
    );
    if (found === undefined && cls.category === "promo" && identity.serviceId !== undefined) {
      const own = this.#hosting.of(at.invoiceNumber, identity.serviceId);
      if (own !== undefined) found = { period: own.period, source: "service line" };
    }
    if (found !== undefined) checkPeriod(found as FoundPeriod, invoiceDate);
    needsPeriodAndMatch(cls.kind, cls.category, found !== undefined, identity);
    if (found && cls.category === "vps" && identity.serviceId !== undefined && found.source !== "service line")
      this.#hosting.remember(at.invoiceNumber, identity.serviceId, found);
    const invoiceDay = formatDate(invoiceDate);
    const period = found && { start: formatDate(found.period.start), end: formatDate(found.period.end) };
    const monthly = this.#memo.monthlyOf({ amountCents, period, dates: found?.period, invoiceDate, invoiceDay });
    if (monthly.monthlyCents >= AMOUNT_LIMIT_CENTS || -monthly.monthlyCents >= AMOUNT_LIMIT_CENTS)
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
  const extra = fields.slice(expected);
  if (fields.length < expected || extra.some((f) => f.trim() !== "")) {
    throw new Refusal(`the line has ${fields.length} fields, the header has ${expected}`);
  }
}
