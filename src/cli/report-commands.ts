import type { Config } from "../config/env.js";
import { invoiceMonthReport } from "../services/invoice-report.js";
import { type VIEW_REPORTS, viewReport } from "../services/view-reports.js";
import { refreshViews } from "../services/refresh.js";
import { monthArg, noArgs, oneOf, parse, type FlagValues } from "./args.js";
import { digestReport } from "./digest-command.js";
import { writeExecutiveHtml } from "./executive-html.js";
import { printInvoiceReport } from "./invoice-report-command.js";
import { printJson, tableWidth } from "./output.js";
import { withSession } from "../runtime.js";
import { elsewhere, REPORT_NAMES, REPORT_SUBCOMMANDS, reportNameAt, type ReportName } from "./report-specs.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { render, type Format } from "./table.js";
import { savingsReportCommand } from "./savings-report.js";
import { REPORT_COLUMNS, reportJson, withName } from "./report-columns.js";
import { trendReport, trendRequest } from "./trend-report.js";
import { untrackedFooter } from "./untracked-status.js";
import { EXIT, UsageError } from "./usage-error.js";

export const REPORT_HELP = {
  help: "the executive views, untracked spend, invoices, the trend, the digest, or the executive page: report <name>",
  usage: Object.values(REPORT_SUBCOMMANDS).flatMap((s) => s.usage),
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
    "risk, top savings, untracked spend, invoice accuracy (docs/observability.md). Internal cost modelling, not billing.\n" +
    "Each report takes its own flags: `cost-sync report <name> --help` lists them.",
  flags: {},
  subcommands: REPORT_SUBCOMMANDS,
} satisfies CommandHelp;

export const REFRESH_HELP = {
  help: "recompute the cost attribution behind the executive views",
  usage: ["refresh [--json]"],
  description: "After bulk changes made directly in SQL; the worker refreshes by itself after its own changes.",
  flags: { ...JSON_FLAG },
} satisfies CommandHelp;

/** `report <name> [flags]`: each subcommand parses its own flags (report-specs.ts). */
export async function reportCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const at = reportNameAt(args);
  const name = oneOf(at < 0 ? undefined : args[at], REPORT_NAMES, "report");
  const rest = args.filter((_, i) => i !== at);
  const flagsOf = <N extends ReportName>(n: N): FlagValues<(typeof REPORT_SUBCOMMANDS)[N]["flags"]> => {
    const context = { command: `report ${n}`, elsewhere: (f: string) => elsewhere(n, f) };
    const { values, positionals } = parse(rest, REPORT_SUBCOMMANDS[n].flags, context);
    noArgs(positionals);
    return values;
  };
  if (name === "digest") return digestReport(cfg, flagsOf(name), out);
  if (name === "executive") {
    const v = flagsOf(name);
    if ([v.json, v.csv, v.html !== undefined].filter(Boolean).length > 1)
      throw new UsageError("choose one of --json, --csv and --html");
    if (v.html !== undefined) return writeExecutiveHtml(cfg, v.html, out);
    return viewReportCommand(cfg, { name, format: formatOf(v), wide: v.wide }, out);
  }
  if (name === "savings") {
    const v = flagsOf(name);
    return savingsReportCommand(cfg, { ...v, format: formatOf(v) }, out);
  }
  if (name === "invoices") {
    const v = flagsOf(name);
    return invoicesReport(cfg, { month: v.month, wide: v.wide, format: formatOf(v) }, out);
  }
  if (name === "trend") {
    const v = flagsOf(name);
    return trendReport(cfg, { ...trendRequest(v), format: formatOf(v), wide: v.wide }, out);
  }
  const v = flagsOf(name);
  return viewReportCommand(cfg, { name, format: formatOf(v), wide: v.wide }, out);
}

/** --json or --csv (not both), else a table. */
function formatOf(v: { json?: boolean; csv?: boolean }): Format {
  if (v.json && v.csv) throw new UsageError("choose one of --json, --csv");
  return v.json ? "json" : v.csv ? "csv" : "table";
}

/** `report executive|allocation|untracked`: one of the views, as a table, CSV or JSON. */
async function viewReportCommand(
  cfg: Config,
  o: { name: (typeof VIEW_REPORTS)[number]; format: Format; wide: boolean | undefined },
  out: NodeJS.WritableStream,
): Promise<number> {
  const { name, format } = o;
  return withSession(cfg, async (s) => {
    const { rows, columns, footnote } = await viewReport({ db: s.db, pg: s.pool }, name, {
      footnote: format === "table",
    });
    if (format === "json") printJson(out, reportJson(name, rows));
    else if (format === "csv") out.write(render(rows, format, columns));
    else {
      const opts = { maxWidth: tableWidth(out, o.wide), wide: o.wide, defaults: REPORT_COLUMNS[name] };
      out.write(render(rows.map(withName), format, o.wide ? columns : [...columns, "name"], opts));
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
