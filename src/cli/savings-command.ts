import type { Config } from "../config/env.js";
import { noArgs, oneOf, parse, reasonArg } from "./args.js";
import { printJson } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const SAVINGS_HELP = {
  help: "recompute savings opportunities, or dismiss one: savings refresh|dismiss",
  usage: ["savings refresh [--json]", "savings dismiss <id> --reason TEXT [--json]"],
  description:
    "refresh: recomputes every opportunity now (the worker does after each reconciliation and invoice import):\n" +
    "idle IPs and VPS, VPS billed after their decommission, untracked instances, and longer billing cycles priced\n" +
    "from the catalogue (no Hostwinds call) or, for VPS with their own price, from get_billingcycle_prices through\n" +
    "the workers' shared request budget (one call per VPS per reconciliation).\n" +
    "dismiss: records an open opportunity as dismissed, with you (COST_SYNC_OPERATOR, else the OS user) and the\n" +
    "reason; it stays dismissed while its facts are unchanged. `report savings` lists them (docs/savings.md).",
  flags: {
    ...JSON_FLAG,
    reason: { type: "string", value: "TEXT", help: "savings dismiss: why (1 to 300 characters, required)" },
  },
} satisfies CommandHelp;

/** `savings refresh [--json]`, `savings dismiss <id> --reason TEXT [--json]`. */
export async function savingsCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const [rawSub, ...rest] = args;
  const sub = oneOf(rawSub, ["refresh", "dismiss"] as const, "savings subcommand");
  const { values, positionals } = parse(rest, SAVINGS_HELP.flags);
  if (sub === "refresh") {
    noArgs(positionals);
    if (values.reason !== undefined) throw new UsageError("--reason is for savings dismiss");
    return withSession(cfg, async (s) => {
      const r = await s.savings().refresh("command");
      if (values.json) printJson(out, r);
      else {
        out.write(
          `savings refreshed: ${String(r.opportunities)} opportunit(ies); ${String(r.opened)} new, ` +
            `${String(r.reopened)} reopened, ${String(r.done)} done; get_billingcycle_prices calls: ${String(r.calls)}\n`,
        );
        for (const [why, n] of Object.entries(r.cycleUnknown))
          out.write(`  no cycle opportunity known for ${String(n)} VPS: ${why}\n`);
      }
      return EXIT.ok;
    });
  }
  const [id, ...extra] = positionals;
  if (id === undefined) throw new UsageError(`missing the opportunity id: ${SAVINGS_HELP.usage[1] ?? ""}`);
  noArgs(extra);
  const reason = reasonArg(values.reason);
  if (reason === undefined) throw new UsageError("savings dismiss needs --reason TEXT (why it is dismissed)");
  return withSession(cfg, async (s) => {
    const r = await s.savings().dismiss(id, reason);
    if (values.json) printJson(out, r);
    else out.write(`dismissed ${r.id}: it stays dismissed while its facts are unchanged\n`);
    return EXIT.ok;
  });
}
