import type { SqlRunner } from "../db/client.js";
import type { CommandRepositories } from "../db/command-repositories.js";
import {
  explainVps as vpsExplanation,
  sharesOf,
  tenantAttribution,
  tenantResources,
  vpsIps,
  type Share,
} from "../db/read-models/explain.js";
import { costHistory } from "../db/read-models/provenance.js";
import { centsOf, formatCents } from "../money.js";
import { InputError } from "./errors.js";
import { resolveVps, type VpsRef } from "./resources.js";
import { resolveTenant } from "./tenants/resolve-tenant.js";

export type { Share };

/**
 * `explain`: where a figure comes from, read from the read models and put together once (the
 * command prints it as text or JSON).
 */

/** "get_price_list rid 11 annually / 12 months" → plan rid 11, cycle annually; nothing for other sources. */
function planOf(source: string | null): { planRid: string | null; cycle: string | null } {
  const m = /^get_price_list rid (\S+) (?:pricing\.\*\.)?([a-z]+)/.exec(source ?? "");
  return { planRid: m?.[1] ?? null, cycle: m?.[2] ?? null };
}

const sumShares = (shares: readonly Share[]): string =>
  formatCents(shares.reduce((sum, x) => sum + (centsOf(x.share) ?? 0n), 0n));

export type VpsExplanation = Awaited<ReturnType<typeof explainVps>>;
export type TenantExplanation = Awaited<ReturnType<typeof explainTenant>>;

/** `explain vps`: the VPS with its plan and cycle, its IPs, its last cost change and how its cost splits among tenants. */
export async function explainVps(deps: { db: SqlRunner; lookup: CommandRepositories["lookup"] }, ref: VpsRef) {
  const { db } = deps;
  const id = await resolveVps(deps.lookup, ref);
  const vps = await vpsExplanation(db, id);
  if (!vps) throw new InputError(`no VPS with id ${id}`);
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

/**
 * `explain tenant`: each share of the tenant's cost, and whether they sum to its attributed total. `text`
 * is its uuid or its name (resolveTenant: an unknown or ambiguous name is an InputError listing candidates);
 * the tenant is named by its one display name, as every report names it.
 */
export async function explainTenant(db: SqlRunner, text: string) {
  const ref = await resolveTenant(db, text);
  const tenantId = ref.id;
  const attribution = await tenantAttribution(db, tenantId);
  const ids = await tenantResources(db, tenantId);
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
