import { ipsOf, knownChangeRows, type KnownChangeRow, type Scope } from "../../db/month-end/forecast-history.js";
import { sharesOf } from "../../db/read-models/explain.js";
import type { SqlRunner } from "../../db/client.js";
import { centsOf } from "../../money.js";

/** A known change as one scope bears it: a VPS going away or being priced, with its monthly effect. */
export interface ScopedChange {
  date: Date;
  kind: KnownChangeRow["kind"];
  /** `vps <uuid> (serviceid N)` */
  resource: string;
  /** The scope's monthly effect, cents (negative: a saving). */
  cents: bigint;
}

const key = (scope: Scope, id: string) => `${scope}:${id}`;
const resourceOf = (r: KnownChangeRow) => `vps ${r.vpsId}${r.serviceid ? ` (serviceid ${r.serviceid})` : ""}`;

/**
 * Every known change, per scope key (`fleet:`, `tenant:<uuid>`, `plan:<rid>`). A dedicated VPS's
 * change is its owner's; a shared VPS's is split as the attribution splits it now (its tenants'
 * shares of the VPS and of its IPs, the rest unallocated: in the fleet only).
 */
export async function knownChangesByScope(db: SqlRunner, now: Date): Promise<Map<string, ScopedChange[]>> {
  const rows = await knownChangeRows(db, now);
  const out = new Map<string, ScopedChange[]>();
  const put = (k: string, c: ScopedChange) => out.set(k, [...(out.get(k) ?? []), c]);
  const shared = rows.filter((r) => r.ownerId === null && r.kind === "scheduled decommission").map((r) => r.vpsId);
  const shares = await sharesFor(db, shared);
  for (const r of rows) {
    const total = (centsOf(r.vpsEffect) ?? 0n) + (centsOf(r.ipEffect) ?? 0n);
    const base = { date: r.date, kind: r.kind, resource: resourceOf(r) };
    put(key("fleet", ""), { ...base, cents: total });
    if (r.planRid !== null) put(key("plan", r.planRid), { ...base, cents: total });
    if (r.ownerId !== null) put(key("tenant", r.ownerId), { ...base, cents: total });
    else
      for (const [tenant, cents] of shares.get(r.vpsId) ?? []) put(key("tenant", tenant), { ...base, cents: -cents });
  }
  return out;
}

/** Per shared VPS: each tenant's share (cents) of the VPS and its IPs now. */
async function sharesFor(db: SqlRunner, vpsIds: string[]): Promise<Map<string, Map<string, bigint>>> {
  const out = new Map<string, Map<string, bigint>>();
  if (vpsIds.length === 0) return out;
  const ips = await ipsOf(db, vpsIds);
  const vpsOfIp = new Map(ips.map((i) => [i.id, i.vpsId]));
  for (const s of await sharesOf(db, [...vpsIds, ...ips.map((i) => i.id)])) {
    if (s.tenantId === null) continue;
    const vps = s.kind === "vps" ? s.resourceId : (vpsOfIp.get(s.resourceId) ?? "");
    const m = out.get(vps) ?? new Map<string, bigint>();
    m.set(s.tenantId, (m.get(s.tenantId) ?? 0n) + (centsOf(s.share) ?? 0n));
    out.set(vps, m);
  }
  return out;
}

export { key as scopeKey };
