import type { Config } from "../config/env.js";
import type { SqlRunner } from "../db/client.js";
import { explainVps, sharesOf, tenantAttribution, tenantResources, vpsIps, type Share } from "../db/explain.js";
import { costHistory } from "../db/provenance.js";
import { centsOf, formatCents } from "../money.js";
import { resolveTenant } from "../services/tenants/resolve-tenant.js";
import { noArgs, oneOf, parse } from "./args.js";
import { printJson, tableWidth } from "./output.js";
import { printTenant, printVps } from "./explain-print.js";
import { resolveVps } from "./resolve.js";
import { withSession } from "./session.js";
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
    const data = what === "vps" ? await vpsData(s.db, rawId) : await tenantData(s.db, rawId ?? "");
    if (values.json) printJson(out, data);
    else if ("vps" in data) printVps(out, data, maxWidth);
    else printTenant(out, data, maxWidth);
    return EXIT.ok;
  });
}

/** "get_price_list rid 11 annually / 12 months" → plan rid 11, cycle annually; nothing for other sources. */
export function planOf(source: string | null): { planRid: string | null; cycle: string | null } {
  const m = /^get_price_list rid (\S+) (?:pricing\.\*\.)?([a-z]+)/.exec(source ?? "");
  return { planRid: m?.[1] ?? null, cycle: m?.[2] ?? null };
}

const sumShares = (shares: readonly Share[]): string =>
  formatCents(shares.reduce((sum, x) => sum + (centsOf(x.share) ?? 0n), 0n));

export type VpsExplanation = Awaited<ReturnType<typeof vpsData>>;
export type TenantExplanation = Awaited<ReturnType<typeof tenantData>>;

async function vpsData(db: SqlRunner, rawId: string | undefined) {
  const id = await resolveVps(db, rawId);
  const vps = await explainVps(db, id);
  if (!vps) throw new UsageError(`no VPS with id ${id}`);
  const ips = await vpsIps(db, id);
  const split = await sharesOf(db, [id, ...ips.map((i) => i.id)]);
  const [lastChange] = (await costHistory(db, { kind: "vps", id, limit: 1 })).shown;
  const ipTotal = formatCents(ips.reduce((sum, ip) => sum + (centsOf(ip.cost) ?? 0n), 0n));
  return {
    vps: { ...vps, ...planOf(vps.source), shared: vps.tenantId === null },
    lastChange: lastChange ?? null,
    ips: { count: ips.length, monthlyUsd: ipTotal, list: ips },
    split,
  };
}

async function tenantData(db: SqlRunner, text: string) {
  // A uuid or a name; an unknown or ambiguous name is an InputError listing the candidates (exit 2).
  const ref = await resolveTenant(db, text);
  const tenantId = ref.id;
  const attribution = await tenantAttribution(db, tenantId);
  const ids = await tenantResources(db, tenantId);
  // The one display name (its company's, else its own), as every report names it.
  const tenant = attribution ? { ...attribution, name: ref.name } : undefined;
  const shares = (await sharesOf(db, ids)).filter((x) => x.tenantId === tenantId);
  const sharesTotal = sumShares(shares);
  const attributionTotal = tenant?.totalCost ?? "0.00";
  return {
    tenant: tenant ?? { id: tenantId, name: ref.name, vpsCost: null, ipCost: null, totalCost: null, refreshedAt: null },
    shares,
    sharesTotal,
    attributionTotal,
    matches: centsOf(sharesTotal) === centsOf(attributionTotal),
  };
}
