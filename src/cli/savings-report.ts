import type { Config } from "../config/env.js";
import type { SavingsReport, SavingsState } from "../services/savings/report.js";
import { SAVINGS_STATES, savingsKind, shareOfFleet } from "../services/savings/report.js";
import { intArg, oneOf } from "./args.js";
import { printJson, tableWidth } from "./output.js";
import { withSession } from "../runtime.js";
import { render, type Format } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

/** The flags only `report savings` takes (its whole spec, with --tenant and --months, is in report-specs.ts). */
export const SAVINGS_FLAGS = {
  kind: { type: "string", value: "K", help: "one kind (billing_cycle, idle_ip, idle_vps, …)" },
  state: { type: "string", value: "S", help: "open (default), dismissed, done or all" },
  realised: { type: "boolean", help: "what opportunities marked done saved, read from invoices" },
} as const;

export interface SavingsRequest {
  kind?: string;
  tenant?: string;
  state?: string;
  realised?: boolean;
  months?: string;
  format: Format;
  wide?: boolean;
}

const COLUMNS = ["id", "kind", "serviceId", "ip", "tenantId", "monthlySaving", "upfront", "breakEvenMonths", "state"];

/** `report savings [--kind K] [--tenant ID|NAME] [--state S] [--json|--csv]`, `report savings --realised [--months N]`. */
export async function savingsReportCommand(cfg: Config, r: SavingsRequest, out: NodeJS.WritableStream) {
  if (r.realised) {
    if (r.kind !== undefined || r.tenant !== undefined || r.state !== undefined)
      throw new UsageError("--realised takes only --months (and --json or --csv)");
    const months = intArg(r.months, { flag: "--months", min: 1, max: 120, fallback: 6 });
    return withSession(cfg, async (s) => {
      const rows = await s.savings().realised(months);
      if (r.format === "json") printJson(out, { realised: rows });
      else out.write(render(rows, r.format, undefined, { maxWidth: tableWidth(out, r.wide) }));
      return EXIT.ok;
    });
  }
  if (r.months !== undefined) throw new UsageError("--months is for report savings --realised (or report trend)");
  const state: SavingsState = r.state === undefined ? "open" : oneOf(r.state, SAVINGS_STATES, "--state");
  if (r.kind !== undefined) savingsKind(r.kind); // before anything opens: --kind nonsense is exit 2
  return withSession(cfg, async (s) => {
    const report = await s.savings().report({ kind: r.kind, tenant: r.tenant, state });
    // Written as is: the totals are keyed by kind name (billing_cycle), never camel-cased.
    if (r.format === "json") out.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (r.format === "csv") out.write(render(csvRows(report), "csv", [...COLUMNS, "method", "firstSeen"]));
    else {
      out.write(render(csvRows(report), "table", COLUMNS, { maxWidth: tableWidth(out, r.wide) }));
      out.write(footer(report));
    }
    return EXIT.ok;
  });
}

const csvRows = (report: SavingsReport) =>
  report.opportunities.map((o) => ({ ...o, method: o.evidence.method, evidence: undefined }));

function footer(report: SavingsReport): string {
  const lines = Object.entries(report.totals).map(([kind, usd]) => `  ${kind}: ${usd}/month`);
  const share = shareOfFleet(report);
  return (
    `\nopen monthly saving by kind:\n${lines.join("\n")}\n` +
    `fleet modelled cost ${report.fleetMonthlyCost}/month (attributed + unallocated, untracked spend left out)` +
    (share === null ? "" : `; the open savings are ${share}% of it`) +
    `.\nInternal cost modelling, not billing. cost-sync savings dismiss <id> --reason TEXT dismisses one.\n`
  );
}
