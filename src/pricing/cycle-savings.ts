import { formatCents, offeredPrice, toCentsHalfUp } from "../money.js";
import { BILLING_CYCLES, MONTHS_PER_CYCLE, type BillingCycle } from "../hostwinds/schemas.js";

/**
 * Whether a longer billing cycle saves money (docs/savings.md, "billing_cycle"). Pure: no I/O.
 * Every figure is whole cents: a cycle's monthly equivalent is its price ÷ its months rounded
 * half-up to the cent once (as `monthlyPrice` does), the upfront amount is the cycle's price, and
 * the break-even is upfront ÷ the current monthly price, rounded half-up to 2 places.
 */

/** A cycle's price as Hostwinds spells it ("9.99"; "", "-1.00" or "0.00" = not offered). */
export type CyclePrices = Partial<Record<BillingCycle, string | undefined>>;

export interface CycleSaving {
  kind: "saving";
  currentCycle: BillingCycle;
  currentMonthlyCents: bigint;
  targetCycle: BillingCycle;
  targetMonthlyCents: bigint;
  monthlySavingCents: bigint;
  upfrontCents: bigint;
  /** upfront ÷ current monthly price, 2 places, half-up ("10.80"). */
  breakEvenMonths: string;
  /** How the saving was computed, in words. */
  method: string;
}

export type CycleOutcome = CycleSaving | { kind: "none"; reason: string };

const monthlyOf = (price: string | undefined, cycle: BillingCycle): bigint | undefined => {
  const d = offeredPrice(price);
  return d === undefined ? undefined : toCentsHalfUp(d, MONTHS_PER_CYCLE[cycle]);
};

/** a ÷ b to 2 places, half-up, for positive whole cents. */
export function ratioHalfUp(a: bigint, b: bigint): string {
  const hundredths = (a * 200n + b) / (2n * b);
  return formatCents(hundredths);
}

/**
 * The cheapest longer cycle, when it costs less a month than the current one. A cycle costs its
 * monthly equivalent; among equal ones the shorter wins (less paid upfront).
 */
export function cycleSaving(prices: CyclePrices, current: BillingCycle, source: string): CycleOutcome {
  const currentMonthly = monthlyOf(prices[current], current);
  if (currentMonthly === undefined || currentMonthly === 0n)
    return { kind: "none", reason: `${source} has no price for its current cycle (${current})` };
  const longer = BILLING_CYCLES.filter((c) => MONTHS_PER_CYCLE[c] > MONTHS_PER_CYCLE[current])
    .map((c) => ({ cycle: c, monthly: monthlyOf(prices[c], c) }))
    .filter((c): c is { cycle: BillingCycle; monthly: bigint } => c.monthly !== undefined && c.monthly > 0n);
  if (longer.length === 0)
    return { kind: "none", reason: `already on the longest cycle ${source} offers (${current})` };
  const best = longer.reduce((a, b) => (b.monthly < a.monthly ? b : a));
  if (best.monthly >= currentMonthly)
    return {
      kind: "none",
      reason:
        `no longer cycle costs less a month: cheapest ${best.cycle} ${formatCents(best.monthly)}/month, ` +
        `${current} ${formatCents(currentMonthly)}/month (${source})`,
    };
  const upfront = toCentsHalfUp(offeredPrice(prices[best.cycle]) ?? { units: 0n, scale: 0 });
  const saving = currentMonthly - best.monthly;
  const months = MONTHS_PER_CYCLE[best.cycle];
  return {
    kind: "saving",
    currentCycle: current,
    currentMonthlyCents: currentMonthly,
    targetCycle: best.cycle,
    targetMonthlyCents: best.monthly,
    monthlySavingCents: saving,
    upfrontCents: upfront,
    breakEvenMonths: ratioHalfUp(upfront, currentMonthly),
    method:
      `${current} ${formatCents(currentMonthly)}/month - ${best.cycle} ${formatCents(upfront)} / ${String(months)} months ` +
      `= ${formatCents(best.monthly)}/month, saving ${formatCents(saving)}/month (${source})`,
  };
}
