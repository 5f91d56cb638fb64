/**
 * One CSV record of an invoice file -> a valid `InvoiceLine`, or a `BadLine` with the first reason
 * it cannot be used. The rules are in docs/invoices.md.
 */
import { classifyLine, type LineCategory, type LineKind } from "./classify.js";
import type { HeaderInfo, InvoiceColumn } from "./columns.js";
import {
  formatDate,
  parseDate,
  periodDays,
  periodFromDescription,
  withoutPeriodSuffix,
  type Parsed,
  type Period,
} from "./dates.js";
import {
  hostnameFromDescription,
  parseAmountCents,
  parseCurrency,
  parseHostname,
  parseInvoiceNumber,
  parseServiceId,
} from "./fields.js";
import { parseIp } from "./ip.js";
import { monthlyEquivalent, type MonthlyEquivalent } from "./monthly-equivalent.js";

/** A usable invoice line. Dates are `YYYY-MM-DD`; money is integer cents. */
export interface InvoiceLine {
  type: "line";
  lineNumber: number;
  /** `invoiceNumber#lineIndex`: the same file imported again gives the same keys. */
  key: string;
  invoiceNumber: string;
  /** 1-based position among this invoice's lines in the file (bad lines count too). */
  lineIndex: number;
  invoiceDate: string;
  /** Digits without leading zeros, as `hostwinds_instance_id` is matched. */
  serviceId?: string;
  hostname?: string;
  /** Where the host name came from: its column, or a `(host.name)` in the description. */
  hostnameSource?: "column" | "description";
  /** Normalised (`parseIp`). */
  ip?: string;
  description: string;
  /** Negative for a credit. */
  amountCents: bigint;
  isCredit: boolean;
  currency: "USD";
  period?: { start: string; end: string; source: "columns" | "description" };
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
  /** The key the line holds when its invoice number could be read. */
  key?: string;
}

/** Thirty-six months (Hostwinds' longest cycle) is at most 1096 days; longer is a typo. */
const MAX_PERIOD_DAYS = 1096;

class Refusal extends Error {}

function need<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Refusal(parsed.reason);
  return parsed.value;
}

type Cell = (column: InvoiceColumn) => string;

/**
 * Validates the records of one file in order. It remembers how many lines each invoice has had,
 * which is what makes a line's key; use one validator per file.
 */
export class LineValidator {
  readonly #header: HeaderInfo;
  readonly #lineCount = new Map<string, number>();

  constructor(header: HeaderInfo) {
    this.#header = header;
  }

  /** The line, or why it is bad; undefined for a row whose cells are all empty (skipped). */
  validate(record: { lineNumber: number; fields: readonly string[] }): InvoiceLine | BadLine | undefined {
    const { lineNumber, fields } = record;
    if (fields.every((f) => f.trim() === "")) return undefined;
    const cell: Cell = (column) => {
      const i = this.#header.columns[column];
      return i === undefined ? "" : (fields[i] ?? "");
    };
    let key: string | undefined;
    try {
      // The index is taken before anything else is checked, so fixing a bad line later keeps
      // every other line's key.
      const invoiceNumber = need(parseInvoiceNumber(cell("invoice_number")));
      const lineIndex = (this.#lineCount.get(invoiceNumber) ?? 0) + 1;
      this.#lineCount.set(invoiceNumber, lineIndex);
      key = `${invoiceNumber}#${lineIndex}`;
      checkFieldCount(fields, this.#header.fieldCount);
      return buildLine(cell, { lineNumber, key, invoiceNumber, lineIndex });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      return { type: "bad", lineNumber, reason: err.message, ...(key === undefined ? {} : { key }) };
    }
  }
}

/** Fewer cells than the header is refused; more only when the extra cells are empty (a trailing comma). */
function checkFieldCount(fields: readonly string[], expected: number): void {
  const extra = fields.slice(expected);
  if (fields.length < expected || extra.some((f) => f.trim() !== "")) {
    throw new Refusal(`the line has ${fields.length} fields, the header has ${expected}`);
  }
}

type Identity = Pick<InvoiceLine, "serviceId" | "hostname" | "hostnameSource" | "ip">;

function readIdentity(cell: Cell, description: string): Identity {
  const id: Identity = {};
  if (cell("service_id").trim() !== "") id.serviceId = need(parseServiceId(cell("service_id")));
  if (cell("ip").trim() !== "") id.ip = need(parseIp(cell("ip")));
  if (cell("hostname").trim() !== "") {
    [id.hostname, id.hostnameSource] = [need(parseHostname(cell("hostname"))), "column"];
  } else {
    const fromDescription = hostnameFromDescription(withoutPeriodSuffix(description));
    if (fromDescription !== undefined) [id.hostname, id.hostnameSource] = [fromDescription, "description"];
  }
  return id;
}

interface FoundPeriod {
  period: Period;
  source: "columns" | "description";
}

/** The period from its columns; when both are empty, from the description's suffix; else none. */
function readPeriod(cell: Cell, description: string): FoundPeriod | undefined {
  const [startText, endText] = [cell("period_start").trim(), cell("period_end").trim()];
  let found: FoundPeriod | undefined;
  if (startText !== "" || endText !== "") {
    const [empty, given] = startText === "" ? ["start", "end"] : ["end", "start"];
    if (startText === "" || endText === "") throw new Refusal(`period_${empty} is empty but period_${given} is not`);
    found = {
      period: { start: need(parseDate(startText, "period_start")), end: need(parseDate(endText, "period_end")) },
      source: "columns",
    };
  } else {
    const suffix = periodFromDescription(description);
    if (suffix !== undefined) found = { period: need(suffix), source: "description" };
  }
  if (found === undefined) return undefined;
  const { start, end } = found.period;
  if (periodDays(found.period) < 1)
    throw new Refusal(`the period ends (${formatDate(end)}) before it starts (${formatDate(start)})`);
  if (periodDays(found.period) > MAX_PERIOD_DAYS)
    throw new Refusal(`the period ${formatDate(start)} - ${formatDate(end)} is longer than 36 months`);
  return found;
}

function buildLine(
  cell: Cell,
  at: Pick<InvoiceLine, "lineNumber" | "key" | "invoiceNumber" | "lineIndex">,
): InvoiceLine {
  const invoiceDate = need(parseDate(cell("invoice_date"), "invoice_date"));
  const amountCents = need(parseAmountCents(cell("amount")));
  const currency = need(parseCurrency(cell("currency")));
  const description = cell("description").trim();
  if (description === "") throw new Refusal("description is empty");
  const identity = readIdentity(cell, description);
  const cls = classifyLine(description, identity.ip !== undefined);
  const found = readPeriod(cell, description);
  const aKind = cls.kind === "ip" ? "an ip" : "a vps";
  if (cls.kind !== "other" && found === undefined) {
    const why = "period_start and period_end are empty and the description does not end with (MM/DD/YYYY - MM/DD/YYYY)";
    throw new Refusal(`${aKind} line needs a period: ${why}`);
  }
  if (cls.kind !== "other" && identity.serviceId === undefined && identity.ip === undefined) {
    throw new Refusal(`${aKind} line needs a service_id or an ip to be matched`);
  }
  const period = found && {
    start: formatDate(found.period.start),
    end: formatDate(found.period.end),
    source: found.source,
  };
  const monthly = monthlyEquivalent({ amountCents, period: found?.period, invoiceDate });
  return {
    type: "line",
    ...at,
    invoiceDate: formatDate(invoiceDate),
    ...identity,
    description,
    amountCents,
    isCredit: amountCents < 0n,
    currency,
    ...(period ? { period } : {}),
    ...cls,
    monthly,
  };
}
