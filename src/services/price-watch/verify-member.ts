import type { PriceOption } from "../../hostwinds/schemas.js";
import { offeredPrice, parseDec } from "../../money.js";
import type { PriceChange } from "./compare.js";
import { sameAmount } from "./compare.js";

/** What one member's own price list says about a catalogue change. */
export interface Verdict {
  /** true: its own price is the new one; false: another (usually the old one); null: cannot tell. */
  confirmed: boolean | null;
  note: string;
}

/**
 * Judges a change by the member's own get_price_list(serviceid): the option marked current must be
 * the changed plan, and its price at the cycle decides. Hostwinds usually keeps existing services
 * at their old price, so only this answer may reprice them. Pure: no I/O.
 */
export function judgeMember(change: PriceChange, serviceid: string, own: readonly PriceOption[]): Verdict {
  const current = own.filter((o) => o.current);
  const [plan] = current;
  if (current.length !== 1 || !plan)
    return {
      confirmed: null,
      note: `serviceid ${serviceid}: get_price_list marks ${String(current.length)} plans current`,
    };
  if (plan.rid !== change.rid)
    return { confirmed: null, note: `serviceid ${serviceid} is now on rid ${plan.rid}, not rid ${change.rid}` };
  const text = plan[change.cycle as keyof PriceOption] as string | undefined;
  const mine = offeredPrice(text);
  const newPrice = parseDec(change.newPrice);
  if (!mine || !newPrice)
    return { confirmed: null, note: `serviceid ${serviceid}: cycle ${change.cycle} not offered to it` };
  if (sameAmount(mine, newPrice))
    return { confirmed: true, note: `serviceid ${serviceid} is charged the new price ${change.newPrice}` };
  return { confirmed: false, note: `serviceid ${serviceid} keeps ${text ?? "?"} (existing services keep their price)` };
}
