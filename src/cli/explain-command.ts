import type { Config } from "../config/env.js";
import { explainTenant, explainVps } from "../services/explain.js";
import { noArgs, oneOf, parse, vpsRefArg } from "./args.js";
import { printJson, tableWidth } from "./output.js";
import { printTenant, printVps } from "./explain-print.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const EXPLAIN_HELP = {
  help: "where a figure comes from: explain vps <id> | explain tenant <id>",
  usage: ["explain vps <id> [--json] [--wide]", "explain tenant <id> [--json] [--wide]"],
  description:
    "`explain vps`: its plan and source, billing cycle, override, unpriced reason, status, its IPs with their\n" +
    "costs, the last change, and how its cost splits among tenants. `explain tenant`: each VPS and IP share\n" +
    "that makes up the tenant's cost, summing to its total in tenant_cost_attribution (or saying that the\n" +
    "attribution is older than the figures: `cost-sync refresh`).",
  arguments: { "<id>": "a VPS uuid or its Hostwinds serviceid (digits); a tenant uuid or name" },
  flags: { ...JSON_FLAG, ...WIDE_FLAG },
} satisfies CommandHelp;

/** `explain vps <id>` and `explain tenant <id>`. */
export async function explainCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, EXPLAIN_HELP.flags);
  const [rawWhat, rawId, ...extra] = positionals;
  const what = oneOf(rawWhat, ["vps", "tenant"] as const, "explain target");
  noArgs(extra);
  if (what === "tenant" && (rawId === undefined || rawId.trim() === ""))
    throw new UsageError("explain tenant needs a tenant uuid or name");
  const maxWidth = tableWidth(out, values.wide);
  return withSession(cfg, async (s) => {
    const data =
      what === "vps"
        ? await explainVps({ db: s.db, lookup: s.repos.lookup }, vpsRefArg(rawId))
        : await explainTenant(s.db, rawId ?? "");
    if (values.json) printJson(out, data);
    else if ("vps" in data) printVps(out, data, maxWidth);
    else printTenant(out, data, maxWidth);
    return EXIT.ok;
  });
}
