import { INVOICE_REPORT_PARTS, type InvoiceReportPart, type invoiceMonthReport } from "../services/invoice-report.js";
import { clean, printJson } from "./output.js";
import { render, type Format } from "./table.js";

const TITLES: Record<InvoiceReportPart, string> = {
  summary: "accuracy and totals (invoice_monthly_accuracy)",
  drift: "drift per invoiced VPS (invoiced - modelled), largest first",
  unmatched: "invoice lines that matched nothing",
  notInvoiced: "VPS modelled but not invoiced",
  ipPrices: "IP addresses by invoiced monthly figure",
};

/**
 * Prints the report: text sections, JSON with one key per part, or CSV sections (a `# part` line,
 * the header, the rows, an empty line), every figure as exact text.
 */
export function printInvoiceReport(
  r: NonNullable<Awaited<ReturnType<typeof invoiceMonthReport>>>,
  o: { format: Format; maxWidth: number | undefined },
  out: NodeJS.WritableStream,
): void {
  const { report, month } = r;
  if (o.format === "json") {
    printJson(out, {
      month: month,
      summary: report.summary.rows[0] ?? null,
      ...Object.fromEntries(INVOICE_REPORT_PARTS.filter((p) => p !== "summary").map((p) => [p, report[p].rows])),
    });
    return;
  }
  if (o.format === "table" && report.summary.rows.length === 0) {
    out.write(`no invoice lines apply to ${month} (import them with: invoices import <file.csv>)\n`);
    return;
  }
  for (const part of INVOICE_REPORT_PARTS) {
    const { rows, columns } = report[part];
    if (o.format === "csv") {
      out.write(`# ${part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}\n${render(rows, "csv", columns)}\n`);
    } else if (part === "summary") {
      out.write(`${TITLES[part]}, ${month}:\n${verticalSummary(rows[0] ?? {}, columns)}\n`);
    } else {
      out.write(
        `${TITLES[part]} (${String(rows.length)}):\n${render(rows, "table", columns, { maxWidth: o.maxWidth })}\n`,
      );
    }
  }
  if (o.format === "table")
    out.write("Modelled = approximate_cost in effect at the end of the month (docs/invoices.md).\n");
}

/** One row as `name  value` lines: the summary has too many columns for one table row. */
function verticalSummary(row: Record<string, unknown>, columns: string[]): string {
  const width = Math.max(...columns.map((c) => c.length));
  const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
  return columns.map((c) => `  ${c.padEnd(width)}  ${clean(text(row[c]))}`).join("\n") + "\n";
}
