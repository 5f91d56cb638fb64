import { formatCents, offeredPrice, toCentsHalfUp } from "../money.js";
import { BILLING_CYCLES, MONTHS_PER_CYCLE, type PriceOption } from "./schemas.js";

/**
 * Prices read back from Redis pass the same bounds as prices from Hostwinds (docs/hostwinds-client.md,
 * "Shared state that can lie"): a cycle's offered price whose monthly figure is beyond what
 * approximate_cost holds (`maxMonthlyCents`, given by the composition root) is no price we would
 * have kept from Hostwinds; the copy holding it is discarded.
 */
export function priceBoundsProblem(options: readonly PriceOption[], maxMonthlyCents: bigint): string | undefined {
  for (const o of options)
    for (const cycle of BILLING_CYCLES) {
      const price = offeredPrice(o[cycle]);
      if (price && toCentsHalfUp(price, MONTHS_PER_CYCLE[cycle]) > maxMonthlyCents)
        return `rid ${o.rid} ${cycle} ${o[cycle] ?? ""} is beyond ${formatCents(maxMonthlyCents)} a month`;
    }
  return undefined;
}
