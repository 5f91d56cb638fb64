import type { Instance } from "../hostwinds/schemas.js";
import { groupKey, planFromCatalogue, priceFromPlan } from "../pricing/catalogue.js";
import { findPlan, monthlyPrice, type PriceResult } from "../pricing/monthly-price.js";
import type { JobContext } from "./context.js";

/**
 * Prices one instance for a sync, after its get_instance. From the shared catalogue and its group's
 * learned plan when both are at hand (no further call); else from its own price list (one more
 * call), learning its group's plan for the next sync. An upgrade prices the target rid from the
 * catalogue at the instance's cycle.
 */
export async function priceForSync(
  ctx: Pick<JobContext, "hostwinds" | "catalogue" | "plans" | "cfg">,
  instance: Instance,
  targetRid?: string,
): Promise<PriceResult> {
  const fetchCatalogue = () => ctx.hostwinds.getPriceList();
  if (targetRid !== undefined) {
    const catalogue = await ctx.catalogue.get(fetchCatalogue);
    if (catalogue.options.some((o) => o.rid === targetRid))
      return monthlyPrice({ options: catalogue.options, instance, targetRid });
    return monthlyPrice({ options: await ctx.hostwinds.getPriceList(instance.serviceid), instance, targetRid });
  }
  const key = groupKey(instance);
  const learned = key === undefined ? undefined : await ctx.plans.get(key);
  if (learned && Date.now() - learned.learnedAt < ctx.cfg.HOSTWINDS_PLAN_MAX_AGE_SECONDS * 1000) {
    const plan = planFromCatalogue((await ctx.catalogue.get(fetchCatalogue)).options, learned.option);
    if (plan) return priceFromPlan(plan, instance);
  }
  const own = await ctx.hostwinds.getPriceList(instance.serviceid);
  const found = findPlan({ options: own, instance });
  if (key !== undefined && found.kind === "found")
    await ctx.plans.set(key, { option: found.plan, learnedAt: Date.now() });
  return monthlyPrice({ options: own, instance });
}
