import type { ComponentOption, Instance, ListedInstance, PriceOption } from "../hostwinds/schemas.js";
import { monthlyPrice, type PriceResult } from "./monthly-price.js";

/**
 * Pricing from the catalogue (docs/decisions.md, "Catalogue pricing"): `get_price_list` without a
 * serviceid lists every plan with every cycle's price; instances on the same plan differ only in
 * their billing cycle. So instances are grouped by what determines their plan, one member of each
 * group tells which plan (`rid`) is current, and every member is priced from that plan's catalogue
 * price at its own cycle — by the same pure `monthlyPrice` as per-instance pricing, so both give
 * the same figure to the cent. Pure: no I/O.
 */

/** What decides an instance's plan: its product and specs. */
export type PlanFacts = Pick<ListedInstance, "product_id" | "ram" | "cpu" | "disk" | "bandwidth">;

/**
 * The group of instances that share one plan, or undefined when nothing safe can group it: an
 * instance without a product id is priced on its own, so a group can never mix two plans with the
 * same specs. The key holds every spec a custom plan's components are chosen by.
 */
export function groupKey(i: PlanFacts): string | undefined {
  if (i.product_id === undefined) return undefined;
  return JSON.stringify([i.product_id, i.ram ?? null, i.cpu ?? null, i.disk ?? null, i.bandwidth ?? null]);
}

/**
 * The plan a group is priced from: the catalogue's option for the rid the group's member was found
 * on, marked current, with that member's component choices for a custom plan. Undefined when the
 * catalogue no longer holds that rid.
 */
export function planFromCatalogue(catalogue: readonly PriceOption[], learned: PriceOption): PriceOption | undefined {
  const option = catalogue.find((o) => o.rid === learned.rid);
  if (!option) return undefined;
  return { ...option, current: true, pricing: withChoices(option.pricing, learned.pricing) };
}

/** Marks in the catalogue's components the options the member's own price list marked current. */
function withChoices(catalogue: PriceOption["pricing"], learned: PriceOption["pricing"]): PriceOption["pricing"] {
  if (!catalogue) return catalogue;
  const same = (a: ComponentOption, b: ComponentOption) => (a.id !== undefined ? a.id === b.id : a.value === b.value);
  return Object.fromEntries(
    Object.entries(catalogue).map(([name, component]) => {
      const chosen = learned?.[name]?.options.filter((o) => o.current) ?? [];
      const options = component.options.map((o) => ({ ...o, current: chosen.some((c) => same(c, o)) || o.current }));
      return [name, { options }];
    }),
  );
}

/** One member of a group priced at its own cycle from the group's plan. */
export function priceFromPlan(
  plan: PriceOption,
  instance: Pick<Instance, "serviceid" | "billingcycle" | "hourly" | "ram" | "cpu" | "disk">,
): PriceResult {
  return monthlyPrice({ options: [plan], instance });
}

/**
 * How many members of a group of `size` are verified one by one: at least one, and `percent` of
 * the group, rounded up.
 */
export function sampleSize(size: number, percent: number): number {
  return Math.min(size, Math.max(1, Math.ceil((size * percent) / 100)));
}

/** `k` members chosen at random (`random` is injected so tests can replay a choice). */
export function pickRandom<T>(members: readonly T[], k: number, random: () => number = Math.random): T[] {
  const pool = [...members];
  const n = Math.min(k, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const picked = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = picked;
  }
  return pool.slice(0, n);
}
