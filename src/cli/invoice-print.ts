import { formatInvoiceSummary } from "../invoices/index.js";
import { formatCents } from "../money.js";
import type { ImportOutcome } from "../services/invoice-import.js";
import { clean } from "./output.js";
import { render } from "./table.js";

/** What `invoices import` prints: the file read, what matched, what was (or would be) written, per month. */
export function printImport(out: NodeJS.WritableStream, o: ImportOutcome): void {
  const { summary, result } = o;
  const lines = [`${o.dryRun ? "dry run (nothing is written): " : ""}${o.file}`];
  // The bad lines were listed as they were found: the summary's own list is left out.
  lines.push(...formatInvoiceSummary(summary).filter((l) => !l.startsWith("bad lines")));
  const m = result.merge;
  if (m === null) {
    lines.push(
      `nothing written: ${String(summary.badLines)} bad line(s) listed above; fix them, or import with --skip-bad to skip them`,
    );
    out.write(lines.map(clean).join("\n") + "\n");
    return;
  }
  const verb = o.dryRun ? "would write" : "wrote";
  lines.push(
    `matched: ${String(m.vps_by_service_id + m.vps_by_ip)} VPS lines (${String(m.vps_by_service_id)} by service_id, ${String(m.vps_by_ip)} by ip), ` +
      `${String(m.ip_by_ip + m.ip_by_service_id)} IP lines (${String(m.ip_by_ip)} by ip, ${String(m.ip_by_service_id)} by service_id through the VPS), ` +
      `${String(m.other)} other spend, ${String(m.unmatched)} unmatched (${String(m.untracked)} naming an untracked instance)`,
    `${verb}: ${String(m.inserted)} new lines, ${String(m.updated)} changed, ${String(m.lines - m.inserted - m.updated)} unchanged` +
      `${summary.badLines > 0 ? `, ${String(summary.badLines)} bad skipped` : ""}; monthly_cost for ${String(result.monthlyCostFilled)} VPS; ` +
      `drift anomalies: ${String(result.anomalies.current)} in these months (${String(result.anomalies.written)} written, ${String(result.anomalies.removed)} removed)`,
  );
  if (result.unmatched.length > 0) {
    lines.push(
      `unmatched lines${m.unmatched > result.unmatched.length ? ` (first ${String(result.unmatched.length)})` : ""}:`,
    );
    for (const u of result.unmatched) {
      const names = [
        u.service_id && `service_id ${u.service_id}`,
        u.ip && `ip ${u.ip}`,
        u.hostname && `host ${u.hostname}`,
      ];
      const untracked = u.untracked_serviceid ? ` (untracked instance ${u.untracked_serviceid})` : "";
      lines.push(
        `  line ${String(u.file_line)}: ${u.invoice_number}#${String(u.line_no)} ${u.kind} ${names.filter(Boolean).join(", ")} ${u.amount_usd} USD${untracked}`,
      );
    }
  }
  out.write(lines.map(clean).join("\n") + "\n");
  out.write("per month (invoice_monthly_accuracy):\n" + render(result.months, "table"));
}

/** The same as JSON (camelCase keys, amounts as exact text). */
export function importJson(o: ImportOutcome) {
  const { summary, result } = o;
  return {
    file: o.file,
    dryRun: o.dryRun,
    committed: result.committed,
    validLines: summary.lines,
    badLines: o.bad,
    invoices: summary.invoices,
    invoicedUsd: formatCents(summary.totalCents),
    matched: result.merge,
    monthlyCostFilled: result.monthlyCostFilled,
    anomalies: result.anomalies,
    unmatched: result.unmatched,
    months: result.months,
  };
}
