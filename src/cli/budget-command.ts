import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { budgetStatuses, clearBudget, setBudget } from "../services/forecast/budgets.js";
import { resolveScope, type ScopeRef } from "../services/forecast/scope.js";
import { formatCents } from "../money.js";
import { monthOf } from "../months.js";
import { monthArg, noArgs, oneOf, parse, reasonArg, requiredArg, usdArg } from "./args.js";
import { clean, printJson } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

export const BUDGET_HELP = {
  help: "monthly cost budgets of the fleet, a tenant or a plan, against the month-end forecast",
  usage: [
    "budget set fleet|tenant <id|name>|plan <rid> <usd per month> [--from YYYY-MM] [--reason <text>]",
    "budget list [--json]",
    "budget clear fleet|tenant <id|name>|plan <rid> [--from YYYY-MM] [--reason <text>]",
  ],
  description:
    "set: the scope's budget from --from (default: the current month, UTC) on; setting it again replaces it from\n" +
    "that month, and the earlier value stays on record with who (COST_SYNC_OPERATOR, else the OS user) and why.\n" +
    "list: each budget in force this month with the forecast of the month-end figure (p50, p90) and its status:\n" +
    "ok, at_risk (p90 over budget) or over (p50, or the cost now, over budget). See docs/forecast.md.",
  flags: {
    from: { type: "string", value: "YYYY-MM", help: "first month of the budget (default: the current month)" },
    reason: { type: "string", value: "<text>", help: "why (1 to 300 characters)" },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

/** What `budget` was asked, checked before anything is opened (the scope is resolved afterwards). */
function budgetRequest(args: string[], now = new Date()) {
  const { values, positionals } = parse(args, BUDGET_HELP.flags);
  const [rawSub, ...rest] = positionals;
  const sub = oneOf(rawSub, ["set", "list", "clear"] as const, "budget subcommand");
  if (sub === "list") {
    noArgs(rest);
    if (values.from !== undefined || values.reason !== undefined) throw new UsageError("budget list takes --json only");
    return { sub, json: values.json === true } as const;
  }
  const kind = oneOf(rest[0], ["fleet", "tenant", "plan"] as const, "budget scope");
  const scope: ScopeRef = kind === "fleet" ? { kind } : kind === "tenant" ? { kind, text: requiredArg(rest[1], "tenant id or name") } : { kind, rid: requiredArg(rest[1], "plan rid") }; // prettier-ignore
  const after = rest.slice(kind === "fleet" ? 1 : 2);
  const fromMonth = values.from ?? monthOf(now);
  monthArg(fromMonth, { minYear: 0, refusal: "--from must be written YYYY-MM" });
  const reason = reasonArg(values.reason);
  if (sub === "clear") {
    noArgs(after);
    return { sub, scope, fromMonth, reason: reason ?? "budget cleared (cli)", json: values.json === true } as const;
  }
  const [amount, ...extra] = after;
  noArgs(extra);
  const cents = usdArg(amount, "budget (USD per month)");
  if (cents === 0n) throw new UsageError("budget must be more than 0.00 USD per month, got 0");
  return { sub, scope, cents, fromMonth, reason: reason ?? "budget set (cli)", json: values.json === true } as const;
}

/** `budget set|list|clear`. */
export async function budgetCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const r = budgetRequest(args);
  return withSession(cfg, async (s) => {
    if (r.sub === "list") {
      const list = await budgetStatuses(s.db);
      if (r.json) printJson(out, list);
      else if (list.length === 0) out.write("no budget in force this month\n");
      else out.write(render(list.map((b) => ({ scope: b.scope, id: b.id ?? "", amount: b.amount, actual: b.actual, p50: b.monthEndForecastP50, p90: b.monthEndForecastP90 ?? "-", status: b.status, from: b.fromMonth, by: b.changedBy })), "table")); // prettier-ignore
      return EXIT.ok;
    }
    const scope = await resolveScope(s.db, r.scope);
    const changedBy = operatorOf(cfg);
    const id =
      r.sub === "set"
        ? await setBudget(s.db, { scope, cents: r.cents, fromMonth: r.fromMonth, changedBy, reason: r.reason })
        : await clearBudget(s.db, { scope, fromMonth: r.fromMonth, changedBy, reason: r.reason });
    const what = r.sub === "set" ? `budget of ${clean(scope.label)} set to ${formatCents(r.cents)} USD/month` : `budget of ${clean(scope.label)} cleared`; // prettier-ignore
    if (r.json)
      printJson(out, { id, scope: scope.scope, scopeId: scope.scopeId || null, fromMonth: r.fromMonth, changedBy });
    else out.write(`${what} from ${r.fromMonth} by ${clean(changedBy)}\n`);
    return EXIT.ok;
  });
}
