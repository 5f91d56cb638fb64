import { Readable } from "node:stream";
import { INVOICE_COLUMNS, type InvoiceColumn } from "../../src/invoices/columns.js";
import type { BadLine, InvoiceLine } from "../../src/invoices/invoice-line.js";
import { readInvoiceFile, type InvoiceFileItem } from "../../src/invoices/read-invoice-file.js";

/** The documented header (without WHMCS's own type and relid, which rows() leaves out too). */
const BASIC_COLUMNS = INVOICE_COLUMNS.filter((c) => c !== "type" && c !== "relid");
export const HEADER = BASIC_COLUMNS.join(",");

/** A valid monthly VPS line; override any cell. */
export const MONTHLY_VPS: Readonly<Record<InvoiceColumn, string>> = {
  invoice_number: "100234",
  invoice_date: "2026-11-01",
  service_id: "30",
  hostname: "",
  ip: "",
  description: "Cloud VPS - Unmanaged Linux 1 CPU / 2 GB (mail1.example.com) (11/01/2026 - 11/30/2026)",
  amount: "9.99",
  currency: "USD",
  period_start: "",
  period_end: "",
  type: "",
  relid: "",
};

/** A field as a spreadsheet writes it: quoted only when needed. */
export const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One CSV line of the documented columns. */
export function row(cells: Partial<Record<InvoiceColumn, string>> = {}): string {
  return BASIC_COLUMNS.map((c) => csvField(cells[c] ?? MONTHLY_VPS[c])).join(",");
}

/** Every item readInvoiceFile yields for the text. */
export async function readAll(text: string): Promise<InvoiceFileItem[]> {
  const items: InvoiceFileItem[] = [];
  for await (const item of readInvoiceFile(Readable.from([Buffer.from(text)]))) items.push(item);
  return items;
}

/** The lines (valid or bad) of a file with the documented header and these rows. */
export async function readLines(...rows: string[]): Promise<(InvoiceLine | BadLine)[]> {
  const items = await readAll([HEADER, ...rows].join("\n") + "\n");
  return items.filter((i): i is InvoiceLine | BadLine => i.type !== "header");
}

/** The one line of a file with one row, which must be valid. */
export async function validLine(cells: Partial<Record<InvoiceColumn, string>>): Promise<InvoiceLine> {
  const [line] = await readLines(row(cells));
  if (line?.type !== "line") throw new Error(`expected a valid line, got ${JSON.stringify(line)}`);
  return line;
}
