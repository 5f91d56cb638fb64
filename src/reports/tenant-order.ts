import { decimalKey } from "./decimal.js";
import type { ExecutiveTenant, TenantSort } from "./executive-page-data.js";

/** Code-unit order: the same on every machine, unlike localeCompare. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Keyed {
  t: ExecutiveTenant;
  key: bigint;
  /** Margin only: no revenue ranks below every margin (a cost with nothing to carry it). */
  none: boolean;
}

const keyOf: Record<Exclude<TenantSort, "name">, (t: ExecutiveTenant) => string | null> = {
  margin: (t) => t.marginPercent,
  profit: (t) => t.profit,
  cost: (t) => t.cost,
  revenue: (t) => t.revenue,
};
/** Worst first for margin and profit, largest first for cost and revenue. */
const ASCENDING: Record<Exclude<TenantSort, "name">, boolean> = {
  margin: true,
  profit: true,
  cost: false,
  revenue: false,
};

function tieBreak(a: ExecutiveTenant, b: ExecutiveTenant): number {
  return byText(a.companyName, b.companyName) || byText(a.tenantId, b.tenantId);
}

/**
 * The tenants in the table's order: a total order (ties by name, then id), so the page never depends on
 * the order the database returned. Each exact key is computed once per tenant, not once per comparison.
 */
export function sortTenants(tenants: readonly ExecutiveTenant[], sort: TenantSort): ExecutiveTenant[] {
  if (sort === "name") return [...tenants].sort(tieBreak);
  const pick = keyOf[sort];
  const asc = ASCENDING[sort];
  const keyed: Keyed[] = tenants.map((t) => {
    const v = pick(t);
    return { t, key: v === null ? 0n : decimalKey(v), none: v === null };
  });
  keyed.sort((a, b) => {
    if (a.none !== b.none) return a.none ? -1 : 1;
    if (a.key !== b.key) return a.key < b.key === asc ? -1 : 1;
    // Equal margins (or none): the larger loss first.
    if (sort === "margin" && a.t.profit !== b.t.profit) return decimalKey(a.t.profit) < decimalKey(b.t.profit) ? -1 : 1;
    return tieBreak(a.t, b.t);
  });
  return keyed.map((k) => k.t);
}

/** The `n` most costly tenants, by exact cost descending, ties by company name then tenant id. */
export function topTenantsByCost(tenants: readonly ExecutiveTenant[], n: number): ExecutiveTenant[] {
  return sortTenants(tenants, "cost").slice(0, n);
}
