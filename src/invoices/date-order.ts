/**
 * A file's date order, decided once for the whole file (never per line) from the dates that show it
 * by themselves: `31/01/2016` can only be day-first, `01/31/2016` only month-first. An invoice file
 * holds either (docs/invoices.md, "Dates"), and a date such as `01/02/2026` means January or
 * February depending on which, so a file whose slash dates are all like it cannot be read without
 * being told (`--date-order mdy|dmy`).
 */
import { mapHeader } from "./columns.js";
import { readCsv } from "./csv-reader.js";
import { hasSlashDate, orderShownBy, type DateOrder } from "./dates.js";

/** What the file's dates say. */
export type DateOrderFinding =
  /** An unambiguous slash date was found: the file's order, and the line that shows it. */
  | { kind: "shown"; order: DateOrder; lineNumber: number; example: string }
  /** Slash dates, none unambiguous: the order must be given. */
  | { kind: "ambiguous"; slashDates: number }
  /** No slash date at all (ISO dates only): no order is needed. */
  | { kind: "none" };

const DATE_COLUMNS = ["invoice_date", "period_start", "period_end", "description"] as const;

/**
 * Reads the file until a date shows its order (usually on the first lines), else to the end. An
 * unusable header is left for `readInvoiceFile` to report: the finding is then `none`.
 */
export async function detectDateOrder(source: AsyncIterable<string | Uint8Array>): Promise<DateOrderFinding> {
  let columns: number[] | undefined;
  let slashDates = 0;
  for await (const row of readCsv(source)) {
    if (row.kind === "error") continue;
    if (columns === undefined) {
      const mapped = mapHeader(row.fields, row.lineNumber);
      if (!mapped.ok) return { kind: "none" };
      const c = mapped.header.columns;
      columns = DATE_COLUMNS.flatMap((name) => (c[name] === undefined ? [] : [c[name]]));
      continue;
    }
    for (const i of columns) {
      const cell = row.fields[i] ?? "";
      if (!hasSlashDate(cell)) continue;
      slashDates++;
      const order = orderShownBy(cell);
      if (order !== undefined) return { kind: "shown", order, lineNumber: row.lineNumber, example: exampleOf(cell) };
    }
  }
  return slashDates > 0 ? { kind: "ambiguous", slashDates } : { kind: "none" };
}

/** The unambiguous date itself, for the message. */
function exampleOf(cell: string): string {
  for (const m of cell.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)) {
    if (orderShownBy(m[0]) !== undefined) return m[0];
  }
  return cell.trim();
}

/** How the import reports the order it took. */
export function describeDateOrder(order: DateOrder | undefined, finding: DateOrderFinding, given: boolean): string {
  const name = (o: DateOrder) => (o === "mdy" ? "month-first (MM/DD/YYYY)" : "day-first (DD/MM/YYYY)");
  if (given && order) return `dates read ${name(order)}, as --date-order ${order} says`;
  if (finding.kind === "shown")
    return `dates read ${name(finding.order)}: line ${String(finding.lineNumber)} has ${finding.example}`;
  return "dates: ISO (YYYY-MM-DD) only, no order needed";
}
