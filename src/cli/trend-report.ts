import type { Config } from "../config/env.js";
import { closedMonthTrend } from "../services/closed-month-trend.js";
import { intArg } from "./args.js";
import { printJson, tableWidth } from "./output.js";
import { REPORT_COLUMNS } from "./report-columns.js";
import { withSession } from "../runtime.js";
import { render, type Format } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

/** How many closed months `report trend` shows by default, and at most. */
const TREND_MONTHS = { fallback: 12, max: 120 } as const;

export const TREND_FLAGS = {
  months: {
    type: "string",
    value: "N",
    help: `the last N closed months (1 to ${String(TREND_MONTHS.max)}, default ${String(TREND_MONTHS.fallback)})`,
  },
  tenant: {
    type: "string",
    value: "<tenant>",
    help: "one tenant's months instead of the fleet's (its uuid or its name)",
  },
} as const;

export interface TrendRequest {
  months: number;
  /** A tenant's uuid or name, resolved once the database is open. */
  tenant: string | undefined;
  format: Format;
  wide: boolean | undefined;
}

/** Checks `--months` and `--tenant` before anything is opened (a bad value is exit 2). */
export function trendRequest(values: { months?: string; tenant?: string }) {
  const months = intArg(values.months, { flag: "--months", min: 1, ...TREND_MONTHS });
  if (values.tenant?.trim() === "") throw new UsageError("flag --tenant needs a tenant uuid or name");
  return { months, tenant: values.tenant };
}

/** `report trend`: the fleet's (or one tenant's) closed months with their month-over-month change. */
export async function trendReport(cfg: Config, r: TrendRequest, out: NodeJS.WritableStream): Promise<number> {
  return withSession(cfg, async (s) => {
    const { tenant, trend } = await closedMonthTrend({ db: s.db, pg: s.pool }, r);
    if (r.format === "json") printJson(out, { tenant: tenant ?? null, from: trend.from, months: trend.rows });
    else
      out.write(
        render(trend.rows, r.format, trend.columns, {
          maxWidth: tableWidth(out, r.wide),
          wide: r.wide,
          defaults: REPORT_COLUMNS.trend,
        }),
      );
    if (r.format === "table") {
      const whose = tenant === undefined ? "the fleet" : `${tenant.name} (${tenant.id})`;
      const span = trend.from === null ? "no month is closed yet" : `closed months from ${trend.from}`;
      out.write(
        `\n${String(trend.rows.length)} month(s) of ${whose}; ${span}. Changes are against the previous calendar month\n` +
          "(empty when it is not closed). Internal cost modelling, not billing.\n",
      );
    }
    return EXIT.ok;
  });
}
