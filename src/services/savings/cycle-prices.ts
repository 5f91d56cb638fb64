import type { CycleAnswer, CycleCandidate } from "../../db/savings/refresh-store.js";
import { HostwindsError } from "../../hostwinds/errors.js";
import { mapLimit } from "../../map-limit.js";
import { BILLING_CYCLES, type BillingCycle, type BillingCyclePrices } from "../../hostwinds/schemas.js";
import { cycleSaving, type CycleOutcome, type CyclePrices } from "../../pricing/cycle-savings.js";

/** The one Hostwinds call savings makes (through the shared request budget). */
export interface CyclePriceReader {
  getBillingCyclePrices(serviceId: number): Promise<BillingCyclePrices>;
}

const isCycle = (c: string): c is BillingCycle => (BILLING_CYCLES as readonly string[]).includes(c);

/**
 * Asks get_billingcycle_prices for each own-price VPS not yet asked this reconciliation, `limit`
 * at a time (answers in the order asked). `{}` is recorded as none, an answer about this instance that cannot be read
 * (unknown shape, "invalid serviceid") as malformed with why; anything else (the key refused,
 * Hostwinds down) fails the refresh, to be tried again.
 */
export async function askCyclePrices(
  reader: CyclePriceReader,
  serviceIds: readonly string[],
  limit: number,
): Promise<CycleAnswer[]> {
  return mapLimit(serviceIds, Math.max(1, limit), (sid) => askOne(reader, sid));
}

async function askOne(reader: CyclePriceReader, serviceId: string): Promise<CycleAnswer> {
  try {
    const answer = await reader.getBillingCyclePrices(Number(serviceId));
    if (answer.kind === "none") return { serviceId, outcome: "none", prices: null, reason: null };
    // Keys from which no cycle price can be read: a shape we do not know, so no opportunity (never a guess).
    if (answer.kind === "unknown")
      return {
        serviceId,
        outcome: "malformed",
        prices: null,
        reason: `no cycle price read from keys ${answer.keys.join(", ")}`,
      };
    return { serviceId, outcome: "prices", prices: answer.prices, reason: null };
  } catch (err) {
    if (err instanceof HostwindsError && (err.kind === "invalid_response" || err.kind === "input"))
      return { serviceId, outcome: "malformed", prices: null, reason: err.message };
    throw err;
  }
}

/** Cycle prices of a catalogue plan as get_price_list gives them; undefined for a custom plan. */
function planPrices(plan: Record<string, unknown>): CyclePrices | undefined {
  const pricing = plan.pricing;
  if (pricing !== null && typeof pricing === "object" && Object.keys(pricing).length > 0) return undefined;
  const prices: CyclePrices = {};
  for (const c of BILLING_CYCLES) if (typeof plan[c] === "string") prices[c] = plan[c];
  return prices;
}

/** Whether a longer cycle saves, from the catalogue or from the VPS's own answer; never a guess. */
export function judgeCycle(
  c: Pick<CycleCandidate, "cycle" | "catalogue" | "plan"> & { ownPriceReason?: string },
  answer: CycleAnswer | undefined,
): CycleOutcome & { source: string } {
  if (!isCycle(c.cycle)) {
    const why = c.cycle === "hourly" ? "hourly: billed by use, not on a term" : `cycle ${c.cycle} has no term prices`;
    return { kind: "none", reason: why, source: "none" };
  }
  if (c.catalogue && c.plan) {
    const source = `catalogue rid ${String(c.plan.rid)}`;
    const prices = planPrices(c.plan);
    if (!prices) return { kind: "none", reason: "custom plan: its cycles are priced per component", source };
    return { ...cycleSaving(prices, c.cycle, source), source };
  }
  const source = "get_billingcycle_prices";
  if (!answer) return { kind: "none", reason: `own price (${c.ownPriceReason ?? ""}): not asked yet`, source };
  if (answer.outcome === "none")
    return { kind: "none", reason: "get_billingcycle_prices answered {}: no cycle opportunity known", source };
  if (answer.outcome === "malformed" || !answer.prices)
    return {
      kind: "none",
      reason: `get_billingcycle_prices answer not understood: ${answer.reason ?? "no prices"}`,
      source,
    };
  return { ...cycleSaving(answer.prices, c.cycle, source), source };
}
