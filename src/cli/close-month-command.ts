import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { closeMonth, reopenMonth, type MonthCloseRecord } from "../services/month-close.js";
import { monthOf, nextMonth } from "../months.js";
import { monthArg, noArgs, parse, reasonArg } from "./args.js";
import { clean, printJson } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const CLOSE_MONTH_HELP = {
  help: "freeze a month's cost, revenue and margin per tenant and for the fleet: close-month YYYY-MM",
  usage: [
    "close-month <YYYY-MM> [--reason <text>] [--json]",
    "close-month <YYYY-MM> --reopen --reason <text> [--json]",
  ],
  description:
    "Freezes every tenant's VPS and IP cost as of the month's end (rebuilt from cost_history, so a close made later\n" +
    "is still the month's own), the month's revenue and payments, margin and health, and the fleet's totals\n" +
    "(modelled cost = attributed + unallocated; untracked spend and invoice figures beside it), with the operator\n" +
    "(COST_SYNC_OPERATOR, else the OS user). A month before cost-sync's first history is refused (exit 2). A closed\n" +
    "month is left as it is: closing it again changes nothing. --reopen puts the close aside (kept on record with\n" +
    "who, when and why); the month can then be closed again. The scheduled monthly reconciliation closes the\n" +
    "previous month by itself. See docs/month-close.md.",
  arguments: { "<YYYY-MM>": "a month that has ended (UTC); the current and future months cannot be closed" },
  flags: {
    reopen: { type: "boolean", help: "reopen a closed month (needs --reason)" },
    reason: { type: "string", value: "<text>", help: "why (1 to 300 characters); required with --reopen" },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

/** What `close-month` was asked, checked before anything is opened; a month that has not ended is exit 2. */
export function closeMonthRequest(args: string[], now = new Date()) {
  const { values, positionals } = parse(args, CLOSE_MONTH_HELP.flags);
  const [month, ...extra] = positionals;
  if (month === undefined) throw new UsageError("missing month (YYYY-MM)");
  noArgs(extra);
  monthArg(month, { minYear: 1, refusal: "month must be written YYYY-MM (year 0001 or later)" });
  const current = monthOf(now);
  if (month >= current)
    throw new UsageError(
      `${month} ${month === current ? "is the current month" : "is in the future"} (UTC): it can be closed from ${nextMonth(month)}-01`,
    );
  const reason = reasonArg(values.reason);
  if (values.reopen && reason === undefined) throw new UsageError("--reopen needs --reason <text>");
  return { month, reason, reopen: values.reopen === true, json: values.json === true };
}

/** `close-month YYYY-MM [--reopen --reason TEXT]`. */
export async function closeMonthCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const r = closeMonthRequest(args);
  const by = operatorOf(cfg);
  return withSession(cfg, async (s) => {
    if (r.reopen) {
      const reopened = await reopenMonth(s.repos, { month: r.month, reopenedBy: by, reason: r.reason ?? "" });
      if (r.json) printJson(out, { outcome: reopened ? "reopened" : "not closed", month: r.month, close: reopened });
      else if (reopened)
        out.write(
          `reopened ${r.month} by ${clean(by)}; the close it set aside was ${describe(reopened)}` +
            `That close stays on record. Close the month again with: cost-sync close-month ${r.month}\n`,
        );
      else out.write(`${r.month} is not closed; nothing to reopen.\n`);
      return reopened ? EXIT.ok : EXIT.failure;
    }
    const { done } = await closeMonth(s.repos, {
      month: r.month,
      closedBy: by,
      trigger: "command",
      reason: r.reason ?? "close-month command",
    });
    if (r.json) printJson(out, { month: r.month, ...done });
    else if (done.outcome === "closed") out.write(`closed ${r.month}: ${describe(done.close)}`);
    else if (done.outcome === "already closed")
      out.write(
        `${r.month} is already closed; nothing changed. The close in force was ${describe(done.close)}` +
          `To reopen it: cost-sync close-month ${r.month} --reopen --reason <text>\n`,
      );
    else out.write(`${r.month} has not ended; nothing closed.\n`);
    return done.outcome === "not ended" ? EXIT.usage : EXIT.ok;
  });
}

/** A close in a few lines: who and when, then the fleet's figures. */
function describe(c: MonthCloseRecord): string {
  const percent = c.marginPercent === null ? "no revenue" : `${c.marginPercent} %`;
  const untracked =
    c.untrackedMonthlyCost === null
      ? "not checked by any reconciliation"
      : `${c.untrackedMonthlyCost} USD/month (${String(c.untrackedInstances ?? 0)} instance(s), not in cost)`;
  const invoices =
    c.invoicedUsd === null
      ? "not imported"
      : `${c.invoicedUsd} USD invoiced, accuracy ${c.invoiceAccuracy ?? "n/a"}, other Hostwinds spend ${c.otherHostwindsSpendUsd ?? "0.00"} USD`;
  return (
    `closed ${c.closedAt.toISOString()} by ${clean(c.closedBy)} (${c.trigger}: ${clean(c.reason)})\n` +
    `  tenants    ${String(c.tenants)}\n` +
    `  cost       ${c.totalCost} USD (VPS ${c.vpsCost}, IP ${c.ipCost}; unallocated ${c.unallocatedCost})\n` +
    `  revenue    ${c.revenue} USD (payments received for the month ${c.paymentsReceived ?? "not recorded"})\n` +
    `  margin     ${c.margin} USD (${percent})\n` +
    `  untracked  ${untracked}\n` +
    `  invoices   ${invoices}\n` +
    `  figures as of ${c.figuresAsOf?.toISOString() ?? "never (no cost attributed yet)"}\n`
  );
}
