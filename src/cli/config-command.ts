import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { maxCents, sqlType } from "../cost-columns.js";
import { formatCents } from "../money.js";
import {
  changeIpConstant,
  changePlanPriceUnit,
  previewIpConstant,
  type IpConstantImpact,
  type PlanPriceUnit,
} from "../services/settings.js";
import { oneOf, parse, usdArg } from "./args.js";
import { confirm } from "./confirm.js";
import { printJson } from "./output.js";
import { withSession, type CliSession } from "../runtime.js";
import { JSON_FLAG, YES_FLAG, type CliIo, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const CONFIG_HELP = {
  help: "config get|set smtp-ip-cost <usd> | plan-price-unit cents|dollars",
  usage: [
    "config get smtp-ip-cost|plan-price-unit [--json]",
    "config set smtp-ip-cost <usd> [--yes] [--json]",
    "config set plan-price-unit cents|dollars [--json]",
  ],
  description:
    "`set smtp-ip-cost` first shows how many IPs follow the constant and the fleet's monthly IP total before\n" +
    "and after, then asks on a terminal (elsewhere it needs --yes). Every IP without an override is then\n" +
    "repriced by the worker, each change recorded with the operator (COST_SYNC_OPERATOR, else the OS user).",
  arguments: {
    "<usd>": `USD per IP per month, at most two decimals, below ${formatCents(maxCents("ip") + 1n)} (${sqlType("ip")})`,
  },
  flags: { ...YES_FLAG, ...JSON_FLAG },
} satisfies CommandHelp;

/** What `config` was asked to do, checked before anything is opened; `set` is undefined for `get`. */
type ConfigRequest =
  { key: "plan-price-unit"; set: PlanPriceUnit | undefined } | { key: "smtp-ip-cost"; set: bigint | undefined };

function configRequest(positionals: string[]): ConfigRequest {
  const [rawVerb, rawKey, value, extra] = positionals;
  const verb = oneOf(rawVerb, ["get", "set"] as const, "config action");
  const key = oneOf(rawKey, ["smtp-ip-cost", "plan-price-unit"] as const, "config key");
  if (extra !== undefined || (verb === "get" && value !== undefined))
    throw new UsageError(`unexpected argument: ${extra ?? value ?? ""}`);
  if (verb === "get") return { key, set: undefined };
  if (key === "plan-price-unit") return { key, set: oneOf(value, ["cents", "dollars"] as const, "plan-price-unit") };
  const cents = usdArg(value, "smtp-ip-cost");
  if (cents > maxCents("ip"))
    throw new UsageError(
      `smtp-ip-cost must be below ${formatCents(maxCents("ip") + 1n)} (smtp_ip_addresses.approximate_cost is ${sqlType("ip")}), got ${value ?? ""}`,
    );
  return { key, set: cents };
}

/** `config get|set smtp-ip-cost <usd>` and `config get|set plan-price-unit cents|dollars`. */
export async function configCommand(
  cfg: Config,
  args: string[],
  out: NodeJS.WritableStream,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parse(args, CONFIG_HELP.flags);
  const request = configRequest(positionals);
  const operator = operatorOf(cfg);
  const json = values.json === true;
  return withSession(cfg, async (s) => {
    if (request.key === "plan-price-unit") {
      if (request.set !== undefined) {
        await changePlanPriceUnit(s.repos, {
          unit: request.set,
          changedBy: operator,
          reason: "config set plan-price-unit (cli)",
        });
      }
      const unit = await s.repos.settings.planPriceUnit();
      if (json) printJson(out, { key: request.key, value: unit });
      else out.write(`plan-price-unit = ${unit}\n`);
      return EXIT.ok;
    }
    if (request.set === undefined) {
      const value = formatCents(await s.repos.settings.ipConstantCents());
      if (json) printJson(out, { key: request.key, value, unit: "USD/month" });
      else out.write(`smtp-ip-cost = ${value} USD/month\n`);
      return EXIT.ok;
    }
    return setIpCost(s, { cents: request.set, operator, yes: values.yes === true, json }, { out, io });
  });
}

/** Shows what the new constant changes, asks, then sets it and enqueues the repricing of every IP that follows it. */
async function setIpCost(
  s: CliSession,
  o: { cents: bigint; operator: string; yes: boolean; json: boolean },
  { out, io }: { out: NodeJS.WritableStream; io: CliIo },
): Promise<number> {
  const { current, impact } = await previewIpConstant(s.repos, o.cents);
  const from = current === null ? "unset" : formatCents(current);
  const to = formatCents(o.cents);
  if (current === o.cents) {
    if (o.json) printJson(out, { key: "smtp-ip-cost", old: from, new: to, ...impact, applied: false });
    else out.write(`smtp-ip-cost is already ${to} USD/month: nothing to change\n`);
    return EXIT.ok;
  }
  if (!o.json) out.write(preview(from, to, impact));
  const producer = await s.producer(); // Redis must be there for the repricing before anything is written
  if (!(await confirm(io, { yes: o.yes, question: "Apply this change?", what: "config set smtp-ip-cost" }))) {
    io.err.write("cancelled: nothing was changed\n");
    return EXIT.failure;
  }
  const { was, job } = await changeIpConstant(
    { repos: s.repos, repricing: producer },
    { cents: o.cents, changedBy: o.operator, reason: "config set smtp-ip-cost (cli)" },
  );
  if (o.json) printJson(out, { key: "smtp-ip-cost", old: was, new: to, ...impact, applied: true, repricingJob: job });
  else
    out.write(
      `smtp-ip-cost: ${was} -> ${to} USD/month; enqueued repricing of every IP without an override (job ${job ?? "?"})\n`,
    );
  return EXIT.ok;
}

function preview(from: string, to: string, impact: IpConstantImpact): string {
  return (
    `smtp-ip-cost: ${from} -> ${to} USD/month\n` +
    `  ${impact.following} of ${impact.ips} IPs follow the constant (the others have an override or no active VPS)\n` +
    `  fleet IP total: ${impact.totalBefore} -> ${impact.totalAfter} USD/month\n`
  );
}
