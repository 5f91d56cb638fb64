import type { LearnedPlan } from "../hostwinds/plan-map.js";
import type { Instance } from "../hostwinds/schemas.js";
import { groupKey, planFromCatalogue, priceFromPlan } from "../pricing/catalogue.js";
import { findPlan, monthlyPrice, type PriceResult } from "../pricing/monthly-price.js";
import type { JobContext } from "./context.js";

/** A catalogue copy younger than this is not fetched again to settle a disagreement (see fromCatalogue). */
const REFETCH_AFTER_MS = 60_000;

/**
 * Prices one instance for a sync, after its get_instance. From the shared catalogue and its group's
 * learned plan when both are at hand and agree (no further call); else from its own price list
 * (one more call), learning its group's plan for the next sync. A group a reconciliation priced
 * one VPS at a time (account-specific prices) is never priced from the catalogue here: its
 * members and new rows in it are priced from their own price lists until a reconciliation
 * verifies it again. `ownPrice` asks for the instance's own price list whatever the plan map says
 * (a confirmed catalogue price change). An upgrade prices the target rid from the catalogue at the
 * instance's cycle.
 */
export async function priceForSync(
  ctx: Pick<JobContext, "hostwinds" | "catalogue" | "plans" | "cfg">,
  instance: Instance,
  o: { targetRid?: string; ownPrice?: boolean } = {},
): Promise<PriceResult> {
  const { targetRid } = o;
  const fetchCatalogue = () => ctx.hostwinds.getPriceList();
  if (targetRid !== undefined) {
    const catalogue = await ctx.catalogue.get(fetchCatalogue);
    if (catalogue.options.some((opt) => opt.rid === targetRid))
      return monthlyPrice({ options: catalogue.options, instance, targetRid });
    return monthlyPrice({ options: await ctx.hostwinds.getPriceList(instance.serviceid), instance, targetRid });
  }
  const key = groupKey(instance);
  const entry = key === undefined ? undefined : await ctx.plans.get(key);
  if (
    !o.ownPrice &&
    entry &&
    "option" in entry &&
    Date.now() - entry.learnedAt < ctx.cfg.HOSTWINDS_PLAN_MAX_AGE_SECONDS * 1000
  ) {
    const priced = await fromCatalogue(ctx, entry, instance);
    if (priced) return priced;
  }
  const own = await ctx.hostwinds.getPriceList(instance.serviceid);
  const found = findPlan({ options: own, instance });
  // A group marked per-instance stays so until a reconciliation verifies it: never relearned here.
  const marked = entry !== undefined && "perInstance" in entry;
  if (key !== undefined && found.kind === "found" && !marked)
    await ctx.plans.set(key, { option: found.plan, learnedAt: Date.now() });
  return monthlyPrice({ options: own, instance });
}

const agree = (a: PriceResult, b: PriceResult) =>
  a.kind === "priced" && b.kind === "priced" && a.cents === b.cents && a.rid === b.rid;

/**
 * The price from the shared catalogue, trusted only while it agrees with the price the plan was
 * learned at: a disagreement fetches the catalogue again (a stale copy, or one tampered in Redis),
 * and one that remains means the learned plan is not trusted (undefined: the caller asks the
 * instance's own price list).
 */
async function fromCatalogue(
  ctx: Pick<JobContext, "hostwinds" | "catalogue">,
  learned: LearnedPlan,
  instance: Instance,
): Promise<PriceResult | undefined> {
  const fetchCatalogue = () => ctx.hostwinds.getPriceList();
  let catalogue = await ctx.catalogue.get(fetchCatalogue);
  const byLearned = priceFromPlan({ ...learned.option, current: true }, instance);
  for (let attempt = 0; ; attempt++) {
    const plan = planFromCatalogue(catalogue.options, learned.option);
    if (!plan) return undefined;
    const byCatalogue = priceFromPlan(plan, instance);
    if (agree(byCatalogue, byLearned)) return byCatalogue;
    if (attempt > 0 || Date.now() - catalogue.fetchedAt < REFETCH_AFTER_MS) return undefined;
    catalogue = await ctx.catalogue.refresh(fetchCatalogue);
  }
}
