import type { Config } from "../config/env.js";
import { operatorOf } from "../config/operator.js";
import { refreshAttribution } from "../db/attribution.js";
import { maxCents, sqlType } from "../db/cost-columns.js";
import { repriceIps } from "../db/ip-costs.js";
import { setOverride } from "../db/overrides.js";
import {
  getIpConstantCents,
  getPlanPriceUnit,
  setIpConstant,
  setPlanPriceUnit,
  type PlanPriceUnit,
} from "../db/settings.js";
import { formatCents } from "../money.js";
import { kindArg, parse, usdArg, uuidArg } from "./args.js";
import { withSession, type CliSession } from "./session.js";
import { EXIT, UsageError } from "./usage-error.js";

const CONFIG_USAGE =
  "usage: cost-sync config get smtp-ip-cost|plan-price-unit | config set smtp-ip-cost <usd> | config set plan-price-unit cents|dollars";

/** Enqueues follow-up work; an unreachable Redis is reported, the database change stands. */
async function followUp(
  s: CliSession,
  out: NodeJS.WritableStream,
  what: string,
  fn: (p: Awaited<ReturnType<CliSession["producer"]>>) => Promise<unknown>,
) {
  try {
    await fn(await s.producer());
    out.write(`enqueued ${what}\n`);
  } catch (e) {
    out.write(
      `warning: could not enqueue ${what} (${(e as Error).message}); run \`cost-sync sync all\` once Redis is back\n`,
    );
  }
}

/** What `config` was asked to do, checked before anything is opened; `set` is undefined for `get`. */
type ConfigRequest =
  { key: "plan-price-unit"; set: PlanPriceUnit | undefined } | { key: "smtp-ip-cost"; set: bigint | undefined };

function configRequest(args: string[]): ConfigRequest {
  const { positionals } = parse(args, {});
  const [verb, key, value, extra] = positionals;
  if (
    extra !== undefined ||
    (verb !== "get" && verb !== "set") ||
    (key !== "smtp-ip-cost" && key !== "plan-price-unit")
  )
    throw new UsageError(CONFIG_USAGE);
  if (verb === "get") {
    if (value !== undefined) throw new UsageError(CONFIG_USAGE);
    return { key, set: undefined };
  }
  if (key === "plan-price-unit") {
    if (value !== "cents" && value !== "dollars") throw new UsageError("plan-price-unit must be cents or dollars");
    return { key, set: value };
  }
  return { key, set: usdArg(value, "smtp-ip-cost") };
}

/** `config get|set smtp-ip-cost <usd>` and `config get|set plan-price-unit cents|dollars`. */
export async function configCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const request = configRequest(args);
  return withSession(cfg, async (s) => {
    if (request.key === "plan-price-unit") {
      if (request.set !== undefined) {
        await setPlanPriceUnit(s.db, request.set, operatorOf(cfg), "config set plan-price-unit (cli)");
        await refreshAttribution(s.db); // the views convert revenue at refresh time
      }
      out.write(`plan-price-unit = ${await getPlanPriceUnit(s.db)}\n`);
      return EXIT.ok;
    }
    const cents = request.set;
    if (cents === undefined) {
      out.write(`smtp-ip-cost = ${formatCents(await getIpConstantCents(s.db))} USD/month\n`);
      return EXIT.ok;
    }
    const old = await setIpConstant(s.db, cents, operatorOf(cfg), "config set smtp-ip-cost (cli)");
    out.write(`smtp-ip-cost: ${old === null ? "unset" : formatCents(old)} -> ${formatCents(cents)} USD/month\n`);
    if (old !== cents) {
      await followUp(s, out, "repricing of every IP without an override", (p) =>
        p.enqueueIpConstantChanged({
          reason: `IP constant ${old === null ? "unset" : formatCents(old)} -> ${formatCents(cents)}`,
          changedBy: operatorOf(cfg),
        }),
      );
    }
    return EXIT.ok;
  });
}

/** `override vps|ip <id> <usd>` and `override vps|ip <id> --clear`: applied at once, with history. */
export async function overrideCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { clear: { type: "boolean" }, reason: { type: "string" } });
  const [rawKind, rawId, rawUsd, extra] = positionals;
  const kind = kindArg(rawKind);
  const id = uuidArg(rawId, kind === "vps" ? "VPS" : "IP");
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  if (values.clear && rawUsd !== undefined) throw new UsageError("give an amount or --clear, not both");
  const cents = values.clear ? null : usdArg(rawUsd, "override");
  if (cents !== null && cents > maxCents(kind)) {
    const what = kind === "ip" ? "an IP" : "a VPS";
    throw new UsageError(
      `${what} override must be below ${formatCents(maxCents(kind) + 1n)} (its cost column is ${sqlType(kind)})`,
    );
  }
  return withSession(cfg, async (s) => {
    const reason =
      values.reason ?? (cents === null ? "override cleared (cli)" : `override set to ${formatCents(cents)} (cli)`);
    const write = { jobId: s.changeId, reason, changedBy: operatorOf(cfg) };
    const changes = await setOverride(s.db, { kind, id, cents, write });
    const [change] = changes;
    if (!change) throw new UsageError(`no ${kind === "vps" ? "VPS" : "IP"} with id ${id}`);
    out.write(
      `${kind} ${id}: override ${cents === null ? "cleared" : `= ${formatCents(cents)} USD/month (cost ${change.oldCents === null ? "null" : formatCents(change.oldCents)} -> ${formatCents(change.newCents)})`}\n`,
    );
    if (cents === null) {
      if (kind === "ip") {
        const constantCents = await getIpConstantCents(s.db);
        const r = await repriceIps(s.db, { ipIds: [id] }, { constantCents, write, returnChanges: true });
        out.write(`repriced: ${r.changes.map((c) => formatCents(c.newCents)).join("") || "unchanged"}\n`);
      } else {
        await followUp(s, out, "repricing of the VPS from Hostwinds", (p) => p.enqueueVpsCostSync(id, { reason }));
      }
    }
    await refreshAttribution(s.db);
    return EXIT.ok;
  });
}
