import type { Change, GenVps, History } from "../../dev/history/model.js";

/**
 * The expected as-of figures of a generated history, computed from the generator's own events in
 * TypeScript (not from the database): each resource's latest change at or before the instant, the
 * owner or the assignments live then, and the largest-remainder split in cents of
 * docs/data-model.md. What cost_attribution_as_of must reproduce to the cent.
 */
export interface Expected {
  /** tenant id (or "unallocated") → [vps cents, ip cents] */
  byTenant: Map<string, [bigint, bigint]>;
  fleetCents: bigint;
}

export function valueAt(changes: Change[], at: Date): bigint {
  let v = 0n;
  for (const c of changes) if (c.at <= at) v = c.cents;
  return v;
}

export function expectedAt(h: History, at: Date): Expected {
  const byTenant = new Map<string, [bigint, bigint]>();
  const add = (key: string, slot: 0 | 1, cents: bigint) => {
    const row = byTenant.get(key) ?? [0n, 0n];
    row[slot] += cents;
    byTenant.set(key, row);
  };
  let fleetCents = 0n;
  const live = h.assignments.filter((a) => a.assigned <= at && (a.expires === null || a.expires > at));
  for (const v of h.vps) {
    const weights = v.tenantId ? new Map([[v.tenantId, 1n]]) : vpsWeights(v, live);
    const cents = valueAt(v.changes, at);
    fleetCents += cents;
    if (cents > 0n) splitInto(cents, weights, (k, c) => add(k, 0, c));
    for (const ip of v.ips) {
      const ipCents = valueAt(ip.changes, at);
      fleetCents += ipCents;
      if (ipCents <= 0n) continue;
      const w = v.tenantId
        ? new Map([[v.tenantId, 1n]])
        : new Map(live.filter((a) => a.ipId === ip.id).map((a) => [a.tenantId, 1n] as [string, bigint]));
      splitInto(ipCents, w, (k, c) => add(k, 1, c));
    }
  }
  return { byTenant, fleetCents };
}

function vpsWeights(v: GenVps, live: History["assignments"]): Map<string, bigint> {
  const ids = new Set(v.ips.map((i) => i.id));
  const w = new Map<string, bigint>();
  for (const a of live) if (ids.has(a.ipId)) w.set(a.tenantId, (w.get(a.tenantId) ?? 0n) + 1n);
  return w;
}

/** Largest remainder in cents, ties by tenant id; no weights: unallocated. */
function splitInto(cents: bigint, weights: Map<string, bigint>, put: (key: string, cents: bigint) => void): void {
  if (weights.size === 0) {
    put("unallocated", cents);
    return;
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0n);
  const parts = [...weights].map(([k, w]) => ({ k, base: (cents * w) / total, rem: (cents * w) % total }));
  let left = cents - parts.reduce((a, p) => a + p.base, 0n);
  parts.sort((a, b) => (a.rem === b.rem ? (a.k < b.k ? -1 : 1) : a.rem > b.rem ? -1 : 1));
  for (const p of parts) {
    const extra = left > 0n ? 1n : 0n;
    left -= extra;
    put(p.k, p.base + extra);
  }
}
