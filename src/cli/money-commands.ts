import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { maxCents, sqlType } from "../cost-columns.js";
import { formatCents } from "../money.js";
import { applyOverride, type OverrideResult } from "../services/overrides.js";
import { kindArg, parse, reasonArg, resourceArg, usdArg } from "./args.js";
import { printJson } from "./output.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export { CONFIG_HELP, configCommand } from "./config-command.js";

export const OVERRIDE_HELP = {
  help: "Finance overrides: override vps|ip <id> <usd> | override vps|ip <id> --clear",
  usage: [
    "override vps|ip <id> <usd> [--reason <text>] [--json]",
    "override vps|ip <id> --clear [--reason <text>] [--json]",
  ],
  description:
    "Sets or clears a Finance override, applied at once and recorded in the cost history with the reason and\n" +
    "the operator (COST_SYNC_OPERATOR, else the OS user). No sync ever overwrites an override. Clearing an IP's\n" +
    "reprices it at once; clearing a VPS's enqueues its repricing (Redis must be reachable). Every argument is\n" +
    "checked before anything is written.",
  arguments: {
    "<id>": "a VPS uuid or its Hostwinds serviceid (digits); an IP uuid",
    "<usd>": `USD per month, at most two decimals: below ${formatCents(maxCents("vps") + 1n)} for a VPS (${sqlType("vps")}), ${formatCents(maxCents("ip") + 1n)} for an IP (${sqlType("ip")})`,
  },
  flags: {
    clear: { type: "boolean", help: "remove the override (the resource is repriced)" },
    reason: { type: "string", value: "<text>", help: "why (1 to 300 characters); the operator is recorded beside it" },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

/** What `override` was asked to do, checked before anything is opened. */
function overrideRequest(args: string[]) {
  const { values, positionals } = parse(args, OVERRIDE_HELP.flags);
  const [rawKind, rawId, rawUsd, extra] = positionals;
  const kind = kindArg(rawKind);
  if (rawId === undefined) throw new UsageError(`missing ${kind === "vps" ? "VPS" : "IP"} id`);
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  if (values.clear && rawUsd !== undefined) throw new UsageError("give an amount or --clear, not both");
  const cents = values.clear ? null : usdArg(rawUsd, "override");
  if (cents !== null && cents > maxCents(kind)) {
    const what = kind === "ip" ? "an IP" : "a VPS";
    throw new UsageError(
      `${what} override must be below ${formatCents(maxCents(kind) + 1n)} (its cost column is ${sqlType(kind)})`,
    );
  }
  const given = reasonArg(values.reason);
  const reason = given ?? (cents === null ? "override cleared (cli)" : `override set to ${formatCents(cents)} (cli)`);
  return { target: resourceArg(kind, rawId), cents, reason, json: values.json === true };
}

/** `override vps|ip <id> <usd>` and `override vps|ip <id> --clear`: applied at once, with history. */
export async function overrideCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { target, cents, reason, json } = overrideRequest(args);
  return withSession(cfg, async (s) => {
    const result = await applyOverride(
      { repos: s.repos, repricing: () => s.producer() },
      { target, cents, reason, jobId: s.changeId, changedBy: operatorOf(cfg) },
    );
    if (json) printJson(out, result);
    else out.write(overrideLine(result));
    return EXIT.ok;
  });
}

function overrideLine(r: OverrideResult): string {
  const what = `${r.kind} ${r.id}`;
  if (r.override !== null)
    return `${what}: override = ${r.override} USD/month (cost ${r.costBefore ?? "null"} -> ${r.costAfter})\n`;
  const next = r.repricingJob
    ? `enqueued repricing from Hostwinds (job ${r.repricingJob})`
    : `repriced: ${r.costAfter}`;
  return `${what}: override cleared; ${next}\n`;
}
