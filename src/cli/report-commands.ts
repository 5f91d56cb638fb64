import type { Config } from "../config/env.js";
import { attributionRefreshedAt, refreshAttribution } from "../db/attribution.js";
import { REPORTS, runReport } from "../db/reports.js";
import { noArgs, oneOf, parse } from "./args.js";
import { printJson, tableWidth } from "./output.js";
import { withSession } from "./session.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { render, type Format } from "./table.js";
import { TREND_FLAGS, trendReport, trendRequest } from "./trend-report.js";
import { EXIT, UsageError } from "./usage-error.js";

export const REPORT_HELP = {
  help: "the executive views as tables: report executive|allocation|trend [--json|--csv]",
  usage: [
    "report executive|allocation [--json|--csv] [--wide]",
    "report trend [--months N] [--tenant <id>] [--json|--csv] [--wide]",
  ],
  description:
    "Every figure as exact text. --csv keeps the views' column names and neutralises cells a spreadsheet would\n" +
    "run as formulas (a leading '); --json uses camelCase keys. Internal cost modelling, not billing.\n" +
    "trend: the closed months (close-month) of the fleet, or of one tenant, with the change since the previous\n" +
    "month, absolute and in percent (empty when that month is not closed or was zero).",
  flags: { ...JSON_FLAG, csv: { type: "boolean", help: "print CSV (RFC 4180)" }, ...WIDE_FLAG, ...TREND_FLAGS },
} satisfies CommandHelp;

export const REFRESH_HELP = {
  help: "recompute the cost attribution behind the executive views",
  usage: ["refresh [--json]"],
  description: "After bulk changes made directly in SQL; the worker refreshes by itself after its own changes.",
  flags: { ...JSON_FLAG },
} satisfies CommandHelp;

/** `report executive|allocation|trend [--json|--csv]`. */
export async function reportCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, REPORT_HELP.flags);
  const [rawName, ...extra] = positionals;
  const name = oneOf(rawName, [...(Object.keys(REPORTS) as (keyof typeof REPORTS)[]), "trend"], "report");
  noArgs(extra);
  if (values.json && values.csv) throw new UsageError("choose one of --json and --csv");
  const format: Format = values.json ? "json" : values.csv ? "csv" : "table";
  if (name === "trend") return trendReport(cfg, { ...trendRequest(values), format, wide: values.wide }, out);
  if (values.months !== undefined || values.tenant !== undefined)
    throw new UsageError("--months and --tenant are flags of report trend");
  return withSession(cfg, async (s) => {
    // Every column as text: exact decimals, no float on the way out.
    const { rows, columns } = await runReport(s.pool, name);
    out.write(render(rows, format, columns, { maxWidth: tableWidth(out, values.wide) }));
    if (format === "table")
      out.write(
        `\n${rows.length} tenant(s); internal cost modelling, not billing. Attribution refreshed ${(await attributionRefreshedAt(s.db))?.toISOString() ?? "never"}.\n`,
      );
    return EXIT.ok;
  });
}

/** `refresh`: recomputes the attribution behind the views (after bulk changes made in SQL). */
export async function refreshCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, REFRESH_HELP.flags);
  noArgs(positionals);
  return withSession(cfg, async (s) => {
    const t0 = performance.now();
    await refreshAttribution(s.db);
    const elapsedMs = Math.round(performance.now() - t0);
    const at = await attributionRefreshedAt(s.db);
    if (values.json) printJson(out, { refreshedAt: at, elapsedMs });
    else out.write(`attribution refreshed in ${elapsedMs} ms (as of ${at?.toISOString() ?? "no costs yet"})\n`);
    return EXIT.ok;
  });
}
