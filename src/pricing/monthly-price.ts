import { addDec, isPositive, offeredPrice, parseDec, toCentsHalfUp, type Dec } from "../money.js";
import {
  BILLING_CYCLES,
  MONTHS_PER_CYCLE,
  type BillingCycle,
  type ComponentOption,
  type Instance,
  type PriceOption,
} from "../hostwinds/schemas.js";

/** A monthly figure with where it came from, for the cost history. */
export interface Priced {
  kind: "priced";
  cents: bigint;
  rid: string;
  cycle: BillingCycle | "freeaccount";
  source: string;
  /** A "Free Account": 0.00 is the figure, not a missing price (decideFromPrice writes it). */
  free?: true;
}

/** No trustworthy figure: the caller keeps the previous value and records the reason. */
export interface Unpriceable {
  kind: "unpriceable";
  reason: string;
}

export type PriceResult = Priced | Unpriceable;

export interface PriceInput {
  /** get_price_list(serviceid) for this instance. */
  options: readonly PriceOption[];
  instance: Pick<Instance, "serviceid" | "billingcycle" | "hourly" | "ram" | "cpu" | "disk">;
  /** For an upgrade: the rid the application passed to upgrade_instance. */
  targetRid?: string;
}

const unpriceable = (reason: string): Unpriceable => ({ kind: "unpriceable", reason });

/**
 * The plan an instance is on: the option flagged `current` in
 * get_price_list(serviceid) (inferred, not documented). If none is flagged,
 * the single option whose ram/cpu/disk equal the instance's, else nothing.
 */
export function findPlan(input: PriceInput): { kind: "found"; plan: PriceOption } | Unpriceable {
  const found = (plan: PriceOption) => ({ kind: "found" as const, plan });
  const { options, instance, targetRid } = input;
  if (targetRid !== undefined) {
    const target = options.find((o) => o.rid === targetRid);
    return target
      ? found(target)
      : unpriceable(`upgrade target rid ${targetRid} not in get_price_list for serviceid ${instance.serviceid}`);
  }
  const current = options.filter((o) => o.current);
  const onlyCurrent = single(current);
  if (onlyCurrent) return found(onlyCurrent);
  if (current.length > 1)
    return unpriceable(`get_price_list marks ${current.length} plans as current for serviceid ${instance.serviceid}`);
  const bySpec = single(
    options.filter(
      (o) => o.ram === instance.ram && o.cpu === instance.cpu && o.disk === instance.disk && instance.ram !== undefined,
    ),
  );
  if (bySpec) return found(bySpec);
  return unpriceable(`no current plan in get_price_list for serviceid ${instance.serviceid}`);
}

/** The element of a one-element list; undefined for none or several. */
function single<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/**
 * The cycle a figure is taken from: the instance's, or monthly (the cap) for an hourly instance;
 * undefined for WHMCS's cycles without a recurring price ("One Time", "Free Account").
 */
function cycleOf(instance: Pick<PriceInput["instance"], "billingcycle" | "hourly">): BillingCycle | undefined {
  if (instance.hourly || instance.billingcycle === "hourly") return "monthly";
  if (instance.billingcycle === "onetime" || instance.billingcycle === "freeaccount") return undefined;
  return instance.billingcycle;
}

/** Source of a "Free Account" instance's 0.00 (verify and `explain` read it as an explained zero). */
export const FREE_ACCOUNT_SOURCE = 'Free Account: Hostwinds bills this instance nothing (billingcycle "Free Account")';

/** The answer for a cycle without a recurring price; undefined for any other cycle. */
function nonRecurring(instance: PriceInput["instance"], rid: string): PriceResult | undefined {
  if (instance.billingcycle === "onetime")
    return unpriceable(
      `billingcycle "One Time" has no recurring monthly cost (paid once) for serviceid ${instance.serviceid}: the previous cost is kept`,
    );
  if (instance.billingcycle === "freeaccount")
    return { kind: "priced", cents: 0n, rid, cycle: "freeaccount", source: FREE_ACCOUNT_SOURCE, free: true };
  return undefined;
}

/** An instance's field as an option's `value` would spell it; undefined when absent or not a plain value. */
function valueText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A custom plan: the sum of its components' chosen options at the cycle. */
function customPlanPrice(plan: PriceOption, cycle: BillingCycle, instance: PriceInput["instance"]): Dec | Unpriceable {
  let total: Dec = { units: 0n, scale: 0 };
  for (const [component, { options }] of Object.entries(plan.pricing ?? {})) {
    const wanted = valueText((instance as Record<string, unknown>)[component]);
    const chosen: ComponentOption | undefined =
      options.find((o) => o.current) ??
      (options.length === 1 ? options[0] : options.find((o) => wanted !== undefined && o.value === wanted));
    if (!chosen) return unpriceable(`custom plan rid ${plan.rid}: no option of ${component} matches the instance`);
    const price = chosen[cycle] === undefined || chosen[cycle] === "" ? undefined : parseDec(chosen[cycle]);
    // A component may legitimately cost 0.00 (an included amount); "-1.00" or garbage is "not offered".
    if (!price) return unpriceable(`custom plan rid ${plan.rid}: ${component} not offered ${cycle}`);
    total = addDec(total, price);
  }
  return isPositive(total) ? total : unpriceable(`custom plan rid ${plan.rid}: cycle ${cycle} totals 0`);
}

/**
 * Normalises an instance's plan to a monthly USD figure: the recurring price of
 * its cycle (never a first-period promo) ÷ the cycle's months, rounded half-up
 * to the cent once at the end. Pure: no I/O.
 */
export function monthlyPrice(input: PriceInput): PriceResult {
  const lookup = findPlan(input);
  // "One Time" and "Free Account" need no plan price: decided before a missing plan could make them unpriced.
  const special = nonRecurring(input.instance, lookup.kind === "found" ? lookup.plan.rid : "");
  if (special) return special;
  if (lookup.kind === "unpriceable") return lookup;
  const plan = lookup.plan;
  const cycle = cycleOf(input.instance);
  if (cycle === undefined) return unpriceable(`billingcycle ${input.instance.billingcycle} has no recurring price`);
  const isCustom = plan.pricing !== undefined && Object.keys(plan.pricing).length > 0;
  const price = isCustom ? customPlanPrice(plan, cycle, input.instance) : offeredPrice(plan[cycle]);
  if (price === undefined) return unpriceable(`cycle ${cycle} not offered for plan rid ${plan.rid}`);
  if ("kind" in price) return price; // Dec has no `kind`
  const months = MONTHS_PER_CYCLE[cycle];
  const hourly = input.instance.hourly || input.instance.billingcycle === "hourly";
  const field = isCustom ? `pricing.*.${cycle}` : cycle;
  const source =
    `get_price_list rid ${plan.rid} ${field}` +
    (months > 1n ? ` / ${months} months` : "") +
    (hourly ? " (hourly instance at its plan's monthly price)" : "") +
    (input.targetRid !== undefined ? " (upgrade target)" : "");
  return { kind: "priced", cents: toCentsHalfUp(price, months), rid: plan.rid, cycle, source };
}

export { BILLING_CYCLES };
