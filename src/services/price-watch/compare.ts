import type { CataloguePrice } from "../../db/writes/price-watch.js";
import { BILLING_CYCLES, type PriceOption } from "../../hostwinds/schemas.js";
import { offeredPrice, parseDec, type Dec } from "../../money.js";

/**
 * The catalogue as the price watch keeps it, and what changed since the last copy. Pure: no I/O.
 * Watched: each plan's own price per recurring cycle, where it is offered (a positive decimal). A
 * custom plan's component options and a cycle that appears or stops being offered are not price
 * changes: the copy follows them, and the next sync of a VPS on a withdrawn cycle says "not offered".
 */

/** Each plan's offered price per cycle, as sent (exact decimal strings). */
export function cataloguePrices(options: readonly PriceOption[]): CataloguePrice[] {
  const out: CataloguePrice[] = [];
  for (const o of options)
    for (const cycle of BILLING_CYCLES) {
      const text = o[cycle];
      if (offeredPrice(text) !== undefined && text !== undefined) out.push({ rid: o.rid, cycle, price: text.trim() });
    }
  return out;
}

/** A plan and cycle whose offered price moved. */
export interface PriceChange {
  rid: string;
  cycle: string;
  oldPrice: string;
  newPrice: string;
}

/** Whether two exact decimals are the same amount ("9.90" and "9.9" are). */
export function sameAmount(a: Dec, b: Dec): boolean {
  const scale = Math.max(a.scale, b.scale);
  return a.units * 10n ** BigInt(scale - a.scale) === b.units * 10n ** BigInt(scale - b.scale);
}

/** The plans and cycles offered in both copies at different prices, in plan then cycle order. */
export function priceChanges(previous: readonly CataloguePrice[], now: readonly CataloguePrice[]): PriceChange[] {
  const before = new Map(previous.map((p) => [`${p.rid}\u0000${p.cycle}`, p.price]));
  const changes: PriceChange[] = [];
  for (const p of now) {
    const old = before.get(`${p.rid}\u0000${p.cycle}`);
    const a = parseDec(old);
    const b = parseDec(p.price);
    if (old !== undefined && a && b && !sameAmount(a, b))
      changes.push({ rid: p.rid, cycle: p.cycle, oldPrice: old, newPrice: p.price });
  }
  return changes.sort((x, y) => x.rid.localeCompare(y.rid, "en", { numeric: true }) || order(x.cycle) - order(y.cycle));
}

const order = (cycle: string) => (BILLING_CYCLES as readonly string[]).indexOf(cycle);
