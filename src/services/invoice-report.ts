import {
  invoiceReport,
  latestInvoicedMonth,
  INVOICE_REPORT_PARTS,
  type InvoiceReportPart,
  type ReportTable,
} from "../db/read-models/invoice-report.js";
import type { PgQueryable } from "../db/sql.js";

export { INVOICE_REPORT_PARTS, type InvoiceReportPart };

/**
 * `report invoices`: a month's accuracy against the imported invoices, in parts (summary, drift,
 * unmatched, not invoiced, IP prices). Without `month`, the latest month any imported line applies
 * to; undefined when no invoice has been imported.
 */
export async function invoiceMonthReport(
  pg: PgQueryable,
  month: string | undefined,
): Promise<{ month: string; report: Record<InvoiceReportPart, ReportTable> } | undefined> {
  const chosen = month ?? (await latestInvoicedMonth(pg));
  if (chosen === undefined) return undefined;
  return { month: chosen, report: await invoiceReport(pg, chosen) };
}
