/**
 * The invoice CSV's columns, found by header name (docs/invoices.md). Names are compared trimmed,
 * case-insensitively, with runs of spaces, `_` and `-` read as one space: `Invoice_Number`,
 * `invoice-number` and `INVOICE NUMBER` are one name.
 */

export const INVOICE_COLUMNS = [
  "invoice_number",
  "invoice_date",
  "service_id",
  "hostname",
  "ip",
  "description",
  "amount",
  "currency",
  "period_start",
  "period_end",
  "type",
  "relid",
] as const;

export type InvoiceColumn = (typeof INVOICE_COLUMNS)[number];

/** Other names finance's ledgers and the client area use, after `normaliseHeader`. */
export const COLUMN_ALIASES: Readonly<Record<InvoiceColumn, readonly string[]>> = {
  invoice_number: ["invoice", "invoice #", "invoice no", "invoice no.", "invoice num", "invoice id", "invoiceid"],
  invoice_date: ["date", "invoice date", "invoicedate", "date issued", "issue date"],
  service_id: ["service", "serviceid", "service #", "service no", "service number"],
  hostname: ["host", "host name", "server", "server name"],
  ip: ["ip address", "ipaddress", "dedicated ip", "ipv4", "ip addr"],
  description: ["item", "item description", "line description", "line item"],
  amount: ["total", "amount (usd)", "amount usd", "line total", "line amount"],
  currency: ["currency code", "ccy"],
  period_start: ["start", "from", "start date", "period from", "service start"],
  period_end: ["end", "to", "end date", "period to", "service end"],
  type: ["item type", "line type", "itemtype"],
  relid: ["rel id", "related id", "relatedid"],
};

/**
 * Required: the invoice and its line (`invoice_number`, `invoice_date`, `description`, `amount`).
 * What a line is matched by (`service_id`, `relid`, `ip`, or a host name from its column or its
 * description, resolved through the latest reconciliation's listing) is checked per line.
 */
export const REQUIRED_COLUMNS: readonly InvoiceColumn[] = ["invoice_number", "invoice_date", "description", "amount"];
/** The columns a line can be matched by; the description can name a host too. */
export const MATCH_COLUMNS: readonly InvoiceColumn[] = ["service_id", "relid", "ip", "hostname"];

/** Where each known column is in a record; unknown columns are left out. */
export type ColumnIndex = Partial<Record<InvoiceColumn, number>>;

export interface HeaderInfo {
  /** The header's line number. */
  lineNumber: number;
  columns: ColumnIndex;
  fieldCount: number;
  /** Header names not understood (their cells are ignored). */
  ignored: string[];
  notes: string[];
}

export type HeaderResult = { ok: true; header: HeaderInfo } | { ok: false; error: string };

export function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
}

const BY_NAME: ReadonlyMap<string, InvoiceColumn> = new Map(
  INVOICE_COLUMNS.flatMap((c) => [[normaliseHeader(c), c] as const, ...COLUMN_ALIASES[c].map((a) => [a, c] as const)]),
);

/** Reads the header line: one error naming every problem, or where each column is. */
export function mapHeader(fields: readonly string[], lineNumber = 1): HeaderResult {
  const columns: ColumnIndex = {};
  const ignored: string[] = [];
  const problems: string[] = [];
  fields.forEach((name, i) => {
    const column = BY_NAME.get(normaliseHeader(name));
    if (column === undefined) {
      if (name.trim() !== "") ignored.push(name.trim());
    } else if (columns[column] !== undefined) {
      problems.push(
        `columns ${JSON.stringify(fields[columns[column]])} and ${JSON.stringify(name)} both mean ${column}`,
      );
    } else columns[column] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => columns[c] === undefined);
  if (missing.length > 0)
    problems.unshift(`missing required column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}`);
  if (problems.length > 0) {
    const has = fields.map((f) => JSON.stringify(f)).join(", ");
    return {
      ok: false,
      error: `the header on line ${lineNumber} is not usable: ${problems.join("; ")}. Its columns: ${has}`,
    };
  }
  const notes = ignored.length > 0 ? [`ignored column${ignored.length > 1 ? "s" : ""}: ${ignored.join(", ")}`] : [];
  if (columns.relid !== undefined && columns.type === undefined)
    notes.push("relid is read only with a type column (it is a service id only for Hosting and PromoHosting)");
  return { ok: true, header: { lineNumber, columns, fieldCount: fields.length, ignored, notes } };
}
