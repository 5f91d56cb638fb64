import { formatInvoiceSummary } from "../invoices/index.js";
import { formatCents } from "../money.js";
import type { Correction, ImportOutcome as ImportReport, UnmatchedLine } from "../services/invoice-import.js";
import { clean } from "./output.js";
import { render } from "./table.js";

const n = (x: number) => String(x);

/** What `invoices import` prints: the file read, what matched and how, what was (or would be) written, per month. */
export function printImport(out: NodeJS.WritableStream, o: ImportReport): void {
  const { summary, result } = o;
  const lines = [`${o.dryRun ? "dry run (nothing is written): " : ""}${o.file}`, o.dateOrder];
  // The bad lines were listed as they were found: the summary's own list is left out.
  lines.push(...formatInvoiceSummary(summary).filter((l) => !l.startsWith("bad lines")));
  const m = result.merge;
  if (m === null) {
    lines.push(
      `nothing written: ${n(summary.badLines)} bad line(s) listed above; fix them, or import with --skip-bad to skip them`,
    );
    out.write(lines.map(clean).join("\n") + "\n");
    return;
  }
  const verb = o.dryRun ? "would write" : "wrote";
  const c = result.corrections;
  lines.push(
    `matched: ${n(m.vps_by_service_id + m.vps_by_ip + m.vps_by_hostname)} VPS lines (${n(m.vps_by_service_id)} by service_id, ` +
      `${n(m.vps_by_ip)} by ip, ${n(m.vps_by_hostname)} by host name), ` +
      `${n(m.ip_by_ip + m.ip_by_service_id + m.ip_by_hostname)} IP lines (${n(m.ip_by_ip)} by ip, ${n(m.ip_by_service_id)} by service_id ` +
      `and ${n(m.ip_by_hostname)} by host name through the VPS), ${n(m.other)} other spend, ` +
      `${n(m.ambiguous)} ambiguous (more than one live VPS, not attributed), ` +
      `${n(m.unmatched)} unmatched (${n(m.untracked)} naming an untracked instance)`,
    `${verb}: ${n(m.inserted)} new lines, ${n(m.updated)} changed, ${n(m.lines - m.inserted - m.updated)} unchanged, ` +
      `${n(m.deleted)} removed from their invoices` +
      `${summary.badLines > 0 ? `, ${n(summary.badLines)} bad skipped` : ""}; monthly_cost for ${n(result.monthlyCostFilled)} VPS; ` +
      `drift anomalies: ${n(result.anomalies.current)} in these months (${n(result.anomalies.written)} written, ${n(result.anomalies.removed)} removed)`,
  );
  if (c.removed + c.moved > 0) {
    const more = c.removed + c.moved > c.lines.length ? ` (first ${n(c.lines.length)})` : "";
    lines.push(`corrections: ${n(c.removed)} line(s) removed, ${n(c.moved)} moved to other months${more}:`);
    lines.push(...c.lines.map(correctionText));
  }
  if (result.unmatched.length > 0) {
    const more = m.unmatched + m.ambiguous > result.unmatched.length ? ` (first ${n(result.unmatched.length)})` : "";
    lines.push(`ambiguous and unmatched lines${more}:`);
    lines.push(...result.unmatched.map(unmatchedText));
  }
  out.write(lines.map(clean).join("\n") + "\n");
  out.write("per month (invoice_monthly_accuracy):\n" + render(result.months, "table"));
}

function correctionText(c: Correction): string {
  const what = `${c.invoice_number}#${n(c.line_no)} ${c.amount_usd} USD "${c.description.split("\n")[0] ?? ""}"`;
  return c.change === "moved"
    ? `  moved: ${what} from ${c.old_months} to ${c.new_months ?? "?"} (now line ${n(c.new_file_line ?? 0)})`
    : `  removed: ${what} (${c.old_months})`;
}

function unmatchedText(u: UnmatchedLine): string {
  const names = [
    u.service_id && `service_id ${u.service_id}`,
    u.ip && `ip ${u.ip}`,
    u.hostname && `host ${u.hostname}`,
  ];
  const why =
    u.matched === "ambiguous"
      ? ` ambiguous: live VPS serviceids ${(u.candidates ?? []).join(", ")}`
      : u.untracked_serviceid
        ? ` (untracked instance ${u.untracked_serviceid})`
        : " unmatched";
  return `  line ${n(u.file_line)}: ${u.invoice_number}#${n(u.line_no)} ${u.kind} ${names.filter(Boolean).join(", ")} ${u.amount_usd} USD${why}`;
}

/** The same as JSON (camelCase keys, amounts as exact text). */
export function importJson(o: ImportReport) {
  const { summary, result } = o;
  return {
    file: o.file,
    dryRun: o.dryRun,
    committed: result.committed,
    dateOrder: o.dateOrder,
    validLines: summary.lines,
    badLineCount: summary.badLines,
    badLines: o.bad,
    invoices: summary.invoices ?? null,
    invoicedUsd: formatCents(summary.totalCents),
    matched: result.merge,
    corrections: result.corrections,
    monthlyCostFilled: result.monthlyCostFilled,
    anomalies: result.anomalies,
    unmatched: result.unmatched,
    months: result.months,
    /** Wall time per step, in ms: for the bench, not a contract. */
    timingsMs: Object.fromEntries(Object.entries(o.timings).map(([k, v]) => [k, Math.round(v)])),
  };
}
