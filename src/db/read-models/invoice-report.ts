import { query, queryWithColumns, statement, type PgQueryable } from "../sql.js";

/**
 * `report invoices --month YYYY-MM`: one month of invoice reconciliation in five parts, each one
 * statement whose select list is its only definition of its columns (read back from the result).
 */
const PARTS = {
  summary: statement<{ month: string }>("invoices/report-summary"),
  drift: statement<{ month: string }>("invoices/report-drift"),
  unmatched: statement<{ month: string }>("invoices/report-unmatched"),
  notInvoiced: statement<{ month: string }>("invoices/report-not-invoiced"),
  ipPrices: statement<{ month: string }>("invoices/report-ip-prices"),
} as const;

const LATEST = statement<Record<string, never>, { month: string | null }>("invoices/latest-month");

/** The latest month any imported line applies to, `YYYY-MM`; undefined before any import. */
export async function latestInvoicedMonth(pg: PgQueryable): Promise<string | undefined> {
  return (await query(pg, LATEST, {}))[0]?.month ?? undefined;
}

export type InvoiceReportPart = keyof typeof PARTS;
export const INVOICE_REPORT_PARTS = Object.keys(PARTS) as InvoiceReportPart[];

export interface ReportTable {
  columns: string[];
  rows: Record<string, unknown>[];
}

/** Every part for `month` (`YYYY-MM`); figures as exact text. */
export async function invoiceReport(pg: PgQueryable, month: string): Promise<Record<InvoiceReportPart, ReportTable>> {
  const entries = [];
  for (const part of INVOICE_REPORT_PARTS) {
    const { rows, columns } = await queryWithColumns(pg, PARTS[part], { month: `${month}-01` });
    entries.push([part, { rows, columns }] as const);
  }
  return Object.fromEntries(entries) as Record<InvoiceReportPart, ReportTable>;
}
