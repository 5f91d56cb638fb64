import { HostwindsError } from "../hostwinds/errors.js";
import type { PriceOption } from "../hostwinds/schemas.js";
import { monthlyPrice, type PriceInput } from "../pricing/monthly-price.js";
import { serviceIdOf, type VpsRow } from "./vps-rows.js";

/** What a VPS should cost now, decided without writing anything. */
export type VpsDecision =
  | { kind: "cost"; outcome: "priced" | "override" | "decommissioned"; cents: bigint; source: string }
  | { kind: "unpriced"; reason: string };

/** Decisions that need no Hostwinds call: an override, or a decommissioned VPS. */
export function decideLocally(row: VpsRow): VpsDecision | undefined {
  if (row.overrideCents !== null) return { kind: "cost", outcome: "override", cents: row.overrideCents, source: "override" };
  if (row.status === "decommissioned") return { kind: "cost", outcome: "decommissioned", cents: 0n, source: "vps decommissioned" };
  if (serviceIdOf(row) === undefined) return { kind: "unpriced", reason: `hostwinds_instance_id ${JSON.stringify(row.serviceId)} is not a Hostwinds serviceid` };
  return undefined;
}

/** Prices from Hostwinds data already fetched. */
export function decideFromHostwinds(instance: PriceInput["instance"], options: readonly PriceOption[], targetRid?: string): VpsDecision {
  const r = monthlyPrice({ options, instance, targetRid });
  return r.kind === "priced" ? { kind: "cost", outcome: "priced", cents: r.cents, source: r.source } : { kind: "unpriced", reason: r.reason };
}

/**
 * A permanent Hostwinds error about this one VPS (input error, a response that
 * fails validation) makes it unpriced, with the reason, not a failed job. Auth
 * failures and transient errors are not about the VPS: the caller rethrows.
 */
export function unpricedFromError(err: unknown): VpsDecision | undefined {
  if (err instanceof HostwindsError && (err.kind === "input" || err.kind === "invalid_response")) return { kind: "unpriced", reason: err.message };
  return undefined;
}
