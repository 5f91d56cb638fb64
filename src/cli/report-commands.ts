import type { Config } from "../config/env.js";
import { invoiceMonthReport } from "../services/invoice-report.js";
import { VIEW_REPORTS, viewReport } from "../services/view-reports.js";
import { refreshViews } from "../services/refresh.js";
import { monthArg, noArgs, oneOf, parse } from "./args.js";
import { DIGEST_FLAGS, digestReport } from "./digest-command.js";
import { writeExecutiveHtml } from "./executive-html.js";
import { printInvoiceReport } from "./invoice-report-command.js";
import { printJson, tableWidth } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { render, type Format } from "./table.js";
import { SAVINGS_FLAGS, savingsReportCommand } from "./savings-report.js";
import { REPORT_COLUMNS, reportJson, withName } from "./report-columns.js";
import { TREND_FLAGS, trendReport, trendRequest } from "./trend-report.js";
import { untrackedFooter } from "./untracked-status.js";
import { EXIT, UsageError } from "./usage-error.js";

export const REPORT_HELP = {
  help: "the executive views, untracked spend, invoices, the trend, the digest, or the executive page: report <name>",
  usage: [
    "report executive|allocation|untracked [--json|--csv] [--wide]",
    "report invoices [--month YYYY-MM] [--json|--csv] [--wide]",
    "report trend [--months N] [--tenant <id>] [--json|--csv] [--wide]",
    "report savings [--kind K] [--tenant ID|NAME] [--state open|dismissed|done|all] [--json|--csv] [--wide]",
    "report savings --realised [--months N] [--json|--csv]",
    "report executive --html FILE",
    "report digest [--since 7d] [--markdown|--html FILE|--json]",
  ],
  description:
    "executive, allocation: one row per tenant with an active subscription (row_kind tenant), then the fleet's own\n" +
    "rows: unsubscribed, unallocated, untracked, and fleet, which the rows before it add up to (docs/executive.md).\n" +
    "untracked: the Hostwinds instances no VPS row names, then the ghost rows (rows whose serviceid Hostwinds\n" +
    "does not list as live), found by the latest completed reconciliation that checked (docs/untracked.md).\n" +
    "invoices: a month's accuracy against imported Hostwinds invoices, drift per VPS, unmatched lines, VPS not\n" +
    "invoiced, and IP prices beside the constant (docs/invoices.md).\n" +
    "trend: the closed months (close-month) of the fleet, or of one tenant, with the change since the previous\n" +
    "month, absolute and in percent (empty when that month is not closed or was zero; docs/month-close.md).\n" +
    "savings: what can be cut, by monthly saving, with totals per kind and their share of the fleet's modelled\n" +
    "cost; --realised: what opportunities marked done saved, read from invoices (docs/savings.md).\n" +
    "Every figure as exact text. --csv keeps the views' column names and neutralises cells a spreadsheet would run\n" +
    "as formulas (a leading '); --json uses camelCase keys. --html writes the executive page (one self-contained\n" +
    "HTML file, inline SVG charts, nothing fetched) to FILE.\n" +
    "digest: since the last digest posted (or --since): fleet cost and margin change, new anomalies, budgets at\n" +
    "risk, top savings, untracked spend, invoice accuracy (docs/observability.md). Internal cost modelling, not billing.",
  flags: {
    ...JSON_FLAG,
    csv: { type: "boolean", help: "print CSV (RFC 4180)" },
    html: { type: "string", value: "FILE", help: "write the executive page to FILE (report executive only)" },
    month: {
      type: "string",
      value: "YYYY-MM",
      help: "report invoices: the month (accuracy, drift, unmatched); default the latest imported month",
    },
    ...DIGEST_FLAGS,
    ...TREND_FLAGS,
    ...SAVINGS_FLAGS,
    ...WIDE_FLAG,
  },
} satisfies CommandHelp;

export const REFRESH_HELP = {
  help: "recompute the cost attribution behind the executive views",
  usage: ["refresh [--json]"],
  description: "After bulk changes made directly in SQL; the worker refreshes by itself after its own changes.",
  flags: { ...JSON_FLAG },
} satisfies CommandHelp;

const REPORT_NAMES = [...VIEW_REPORTS, "invoices", "trend", "digest", "savings"] as const;

/** `report executive|allocation|untracked|invoices|trend|digest|savings [--json|--csv]`, `report executive --html FILE`. */
export async function reportCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, REPORT_HELP.flags);
  const [rawName, ...extra] = positionals;
  const name = oneOf(rawName, REPORT_NAMES, "report");
  noArgs(extra);
  if (name === "digest") return digestReport(cfg, values, out);
  if (values.since !== undefined || values.markdown)
    throw new UsageError("--since and --markdown are for report digest");
  if ([values.json, values.csv, values.html !== undefined].filter(Boolean).length > 1)
    throw new UsageError("choose one of --json, --csv and --html");
  if (values.html !== undefined) return writeExecutiveHtml(cfg, { report: name, file: values.html }, out);
  const format: Format = values.json ? "json" : values.csv ? "csv" : "table";
  if (name === "savings") return savingsReportCommand(cfg, { ...values, format }, out);
  if (values.kind !== undefined || values.state !== undefined || values.realised)
    throw new UsageError("--kind, --state and --realised are flags of report savings");
  if (name === "invoices") return invoicesReport(cfg, { month: values.month, wide: values.wide, format }, out);
  if (values.month !== undefined) throw new UsageError("--month is for report invoices");
  if (name === "trend") return trendReport(cfg, { ...trendRequest(values), format, wide: values.wide }, out);
  if (values.months !== undefined || values.tenant !== undefined)
    throw new UsageError("--months and --tenant are flags of report trend");
  return withSession(cfg, async (s) => {
    const { rows, columns, footnote } = await viewReport({ db: s.db, pg: s.pool }, name, {
      footnote: format === "table",
    });
    if (format === "json") printJson(out, reportJson(name, rows));
    else if (format === "csv") out.write(render(rows, format, columns));
    else {
      const opts = { maxWidth: tableWidth(out, values.wide), wide: values.wide, defaults: REPORT_COLUMNS[name] };
      out.write(render(rows.map(withName), format, values.wide ? columns : [...columns, "name"], opts));
    }
    if (footnote?.kind === "untracked") out.write(untrackedFooter(footnote.latest));
    else if (footnote?.kind === "attribution") {
      const tenants = rows.filter((r) => r.row_kind === "tenant").length;
      const refreshed = footnote.refreshedAt?.toISOString() ?? "never";
      out.write(
        `\n${String(tenants)} tenant(s), then unsubscribed, unallocated, untracked: with the tenants, they add up to fleet.\n` +
          `Internal cost modelling, not billing. Attribution refreshed ${refreshed}.\n`,
      );
    }
    return EXIT.ok;
  });
}

const INVOICE_MONTH = { minYear: 2000, refusal: "--month must be a month as YYYY-MM (such as 2026-11)" };

/** `report invoices [--month YYYY-MM]`: without --month, the latest month any imported line applies to. */
async function invoicesReport(
  cfg: Config,
  o: { month: string | undefined; wide: boolean | undefined; format: Format },
  out: NodeJS.WritableStream,
): Promise<number> {
  const given = o.month === undefined ? undefined : monthArg(o.month, INVOICE_MONTH);
  const maxWidth = tableWidth(out, o.wide);
  return withSession(cfg, async (s) => {
    const report = await invoiceMonthReport(s.pool, given);
    if (report === undefined) {
      out.write("no invoice has been imported yet (import one with: invoices import <file.csv>)\n");
      return EXIT.ok;
    }
    printInvoiceReport(report, { format: o.format, maxWidth }, out);
    return EXIT.ok;
  });
}

/** `refresh`: recomputes the attribution behind the views (after bulk changes made in SQL). */
export async function refreshCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, REFRESH_HELP.flags);
  noArgs(positionals);
  return withSession(cfg, async (s) => {
    const t0 = performance.now();
    const { skipped, warning } = await refreshViews(s.repos);
    const elapsedMs = Math.round(performance.now() - t0);
    const at = await s.repos.attribution.refreshedAt();
    if (values.json) printJson(out, { refreshedAt: at, elapsedMs, skipped });
    else {
      out.write(`attribution refreshed in ${elapsedMs} ms (as of ${at?.toISOString() ?? "no costs yet"})\n`);
      if (warning !== undefined) out.write(`warning: ${warning}\n`);
    }
    return EXIT.ok;
  });
}
