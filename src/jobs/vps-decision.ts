import type { VpsRow } from "../db/writes/vps-costs.js";
import type { PriceOption } from "../hostwinds/schemas.js";
import { maxCents } from "../cost-columns.js";
import { formatCents } from "../money.js";
import { monthlyPrice, type PriceInput, type PriceResult } from "../pricing/monthly-price.js";

/** What a VPS should cost now, decided without writing anything. */
export type VpsDecision =
  | { kind: "cost"; outcome: "priced" | "override" | "decommissioned"; cents: bigint; source: string }
  | { kind: "unpriced"; reason: string };

/** A Hostwinds serviceid, if the stored value is one (digits only). */
export function serviceIdOf(row: Pick<VpsRow, "serviceId">): number | undefined {
  // Hostwinds' serviceids start at 1: "0" or "000" names no instance, and must not be sent as one.
  const n = row.serviceId && /^\d{1,15}$/.test(row.serviceId) ? Number(row.serviceId) : 0;
  return n > 0 ? n : undefined;
}

/** Decisions that need no Hostwinds call: an override, a decommissioned VPS, or no serviceid to ask about. */
export function decideLocally(row: VpsRow): VpsDecision | undefined {
  if (row.overrideCents !== null)
    return { kind: "cost", outcome: "override", cents: row.overrideCents, source: "override" };
  if (row.status === "decommissioned")
    return { kind: "cost", outcome: "decommissioned", cents: 0n, source: "vps decommissioned" };
  if (serviceIdOf(row) === undefined) {
    return {
      kind: "unpriced",
      reason: `hostwinds_instance_id ${JSON.stringify(row.serviceId)} is not a Hostwinds serviceid`,
    };
  }
  return undefined;
}

/** Prices from Hostwinds data already fetched: the instance's own price list. */
export function decideFromHostwinds(
  instance: PriceInput["instance"],
  options: readonly PriceOption[],
  targetRid?: string,
): VpsDecision {
  return decideFromPrice(monthlyPrice({ options, instance, targetRid }));
}

/**
 * The decision a monthly figure makes. A figure the cost column cannot hold, or one that rounds
 * to 0.00 (a price such as "0.001": positive, but no real monthly cost), makes the VPS unpriced
 * with the reason: never a failed job, never a zero or an overflow written.
 */
export function decideFromPrice(r: PriceResult): VpsDecision {
  if (r.kind !== "priced") return { kind: "unpriced", reason: r.reason };
  if (r.free) return { kind: "cost", outcome: "priced", cents: 0n, source: r.source };
  if (r.cents === 0n) return { kind: "unpriced", reason: `${r.source} rounds to 0.00 a month` };
  if (r.cents > maxCents("vps")) {
    const limit = formatCents(maxCents("vps"));
    return {
      kind: "unpriced",
      reason: `${r.source} is ${formatCents(r.cents)} a month, more than approximate_cost holds (${limit})`,
    };
  }
  return { kind: "cost", outcome: "priced", cents: r.cents, source: r.source };
}
