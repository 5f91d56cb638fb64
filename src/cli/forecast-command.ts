import type { Config } from "../config/env.js";
import { backtest, type Backtest } from "../services/forecast/backtest.js";
import { forecast, type ScopeForecast } from "../services/forecast/forecast-service.js";
import { FLEET, planScope, tenantScope, type NamedScope } from "../services/forecast/scope.js";
import { intArg, noArgs, parse } from "./args.js";
import { clean, printJson } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

export const FORECAST_HELP = {
  help: "forecast month-end cost (p10/p50/p90) of the fleet, a tenant or a plan; forecast backtest",
  usage: [
    "forecast [--months N] [--tenant <id|name>] [--plan <rid>] [--json|--csv]",
    "forecast backtest [--months N] [--json]",
  ],
  description:
    "This month: the run-rate now and the forecast of its month-end figure; then each of the next N months\n" +
    "(default 3, at most 12): p10, p50, p90. Starts from the run-rate, applies the known changes (scheduled\n" +
    "decommissions with their IPs, VPS still provisioning), adds a damped trend fitted on past month-end figures;\n" +
    "the interval comes from the method's own backtest errors. With fewer than 6 complete months of history it\n" +
    "says so and gives run-rate plus known changes, with no interval.\n" +
    "backtest: for each of the last N complete months (default 12), the fleet's month-end figure forecast from the\n" +
    "months before only, against the actual and the naive forecast (same as last month); MAPE, coverage, bias.\n" +
    "Amounts are decimal strings. See docs/forecast.md. Internal cost modelling, not billing.",
  flags: {
    months: {
      type: "string",
      value: "N",
      help: "months ahead (1..12, default 3); backtest: months back (1..24, default 12)",
    },
    tenant: { type: "string", value: "<id|name>", help: "one tenant, by uuid or name" },
    plan: { type: "string", value: "<rid>", help: "one Hostwinds plan (rid)" },
    ...JSON_FLAG,
    csv: { type: "boolean", help: "print CSV (RFC 4180)" },
  },
} satisfies CommandHelp;

/** What `forecast` was asked, checked before anything is opened. */
function forecastRequest(args: string[]) {
  const { values, positionals } = parse(args, FORECAST_HELP.flags);
  const [sub, ...extra] = positionals;
  if (sub !== undefined && sub !== "backtest") throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}; expected backtest`); // prettier-ignore
  noArgs(extra);
  if (values.json && values.csv) throw new UsageError("choose one of --json and --csv");
  if (values.tenant !== undefined && values.plan !== undefined)
    throw new UsageError("choose one of --tenant and --plan");
  if (sub === "backtest") {
    if (values.tenant !== undefined || values.plan !== undefined || values.csv)
      throw new UsageError("forecast backtest takes --months and --json only");
    return { backtest: true as const, months: intArg(values.months, { flag: "--months", min: 1, max: 24, fallback: 12 }), json: values.json === true }; // prettier-ignore
  }
  return {
    backtest: false as const,
    months: intArg(values.months, { flag: "--months", min: 1, max: 12, fallback: 3 }),
    tenant: values.tenant,
    plan: values.plan,
    format: values.json ? ("json" as const) : values.csv ? ("csv" as const) : ("table" as const),
  };
}

/** `forecast [...]` and `forecast backtest [...]`. Reads only. */
export async function forecastCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const r = forecastRequest(args);
  return withSession(cfg, async (s) => {
    if (r.backtest) {
      const b = await backtest(s.db, { months: r.months });
      if (r.json) printJson(out, b);
      else printBacktest(out, b);
      return EXIT.ok;
    }
    const scope: NamedScope =
      r.tenant !== undefined ? await tenantScope(s.db, r.tenant) : r.plan !== undefined ? await planScope(s.db, r.plan) : FLEET; // prettier-ignore
    const [f] = await forecast(s.db, { months: r.months, scope });
    if (!f) throw new Error("no forecast");
    if (r.format === "json")
      printJson(out, { thisMonth: f.thisMonth, months: f.months, knownChanges: f.knownChanges, scope: scope.scope, scopeId: scope.scopeId || null, historyMonths: f.historyMonths, note: f.note }); // prettier-ignore
    else if (r.format === "csv") out.write(render(csvRows(f), "csv"));
    else printForecast(out, scope, f);
    return EXIT.ok;
  });
}

const csvRows = (f: ScopeForecast) => [
  { month: f.thisMonth.month, run_rate: f.thisMonth.runRate, p10: f.thisMonth.p10, p50: f.thisMonth.p50, p90: f.thisMonth.p90 }, // prettier-ignore
  ...f.months.map((m) => ({ month: m.month, run_rate: null, p10: m.p10, p50: m.p50, p90: m.p90 })),
];

function printForecast(out: NodeJS.WritableStream, scope: NamedScope, f: ScopeForecast): void {
  out.write(`forecast of month-end modelled cost (USD/month), ${clean(scope.label)}\n`);
  if (f.note) out.write(`note: ${f.note}\n`);
  out.write(`run-rate now: ${f.thisMonth.runRate}\n\n`);
  out.write(render(csvRows(f).map((x) => ({ month: x.month, p10: x.p10 ?? "-", p50: x.p50, p90: x.p90 ?? "-" })), "table")); // prettier-ignore
  out.write(`\nknown changes: ${f.knownChanges.length ? "" : "none"}\n`);
  if (f.knownChanges.length) out.write(render(f.knownChanges.map((c) => ({ date: c.date.slice(0, 10), kind: c.kind, resource: c.resource, monthly_effect: c.monthlyEffect })), "table")); // prettier-ignore
}

function printBacktest(out: NodeJS.WritableStream, b: Backtest): void {
  out.write("backtest of the fleet's month-end figure, each month forecast from the months before only\n\n");
  out.write(render(b.months.map((m) => ({ ...m, p10: m.p10 ?? "-", p90: m.p90 ?? "-", errorPercent: m.errorPercent ?? "-" })), "table")); // prettier-ignore
  const pct = (x: number | null) => (x === null ? "-" : `${x.toFixed(2)}%`);
  out.write(`\nMAPE ${pct(b.mapePercent)} (naive ${pct(b.naiveMapePercent)})  coverage p10..p90 ${pct(b.coveragePercent)}  bias ${pct(b.biasPercent)}\n`); // prettier-ignore
}
