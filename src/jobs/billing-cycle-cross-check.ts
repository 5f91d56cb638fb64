import type { BillingCycle } from "../hostwinds/schemas.js";
import { MONTHS_PER_CYCLE } from "../hostwinds/schemas.js";
import type { Logger } from "../logger.js";
import { formatCents, toCentsHalfUp } from "../money.js";
import { offeredPrice } from "../pricing/monthly-price.js";
import type { HostwindsReader } from "./context.js";
import { classify } from "./failure-policy.js";

/**
 * get_billingcycle_prices' shape is undocumented (docs/hostwinds-contract.md): when we can read it
 * and it disagrees with get_price_list, say so in the log; never let it change the figure or fail
 * the sync. Only a rate limit goes up, so that the queue pauses.
 */
export async function crossCheckBillingCycle(
  hostwinds: Pick<HostwindsReader, "getBillingCyclePrices">,
  priced: { serviceid: number; cycle: BillingCycle; cents: bigint },
  log: Logger,
): Promise<void> {
  const { serviceid, cycle } = priced;
  try {
    const prices = await hostwinds.getBillingCyclePrices(serviceid);
    const dec = offeredPrice(prices[cycle]);
    if (!dec) {
      log.warn({ serviceid, cycle }, "get_billingcycle_prices shape not understood; using get_price_list");
      return;
    }
    const cents = toCentsHalfUp(dec, MONTHS_PER_CYCLE[cycle]);
    if (cents !== priced.cents) {
      log.warn(
        { serviceid, priceList: formatCents(priced.cents), billingCycle: formatCents(cents) },
        "get_billingcycle_prices disagrees with get_price_list",
      );
    }
  } catch (err) {
    if (classify(err).action === "pause") throw err;
    log.warn({ serviceid, err }, "get_billingcycle_prices unavailable; using get_price_list");
  }
}
