import { writeVpsCosts, markVpsUnpriced, repriceIps } from "../db/cost-writes.js";
import { getIpConstantCents } from "../db/system-config.js";
import { HostwindsError } from "../hostwinds/errors.js";
import { MONTHS_PER_CYCLE, type BillingCycle } from "../hostwinds/schemas.js";
import { formatCents, toCentsHalfUp } from "../money.js";
import { cycleOf, offeredPrice } from "../pricing/monthly-price.js";
import type { Logger } from "../logger.js";
import { jobKey, type JobContext, type JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";
import { decideFromHostwinds, decideLocally, unpricedFromError, type VpsDecision } from "./price-vps.js";
import { loadVps, serviceIdOf } from "./vps-rows.js";

/**
 * Prices one VPS from Hostwinds (its cycle from get_instance, its plan from
 * get_price_list(serviceid)) and writes it unless overridden; then reprices
 * the VPS's IPs, which depend on its status. An upgrade event prices the
 * target rid at the instance's cycle. Never sends a mutating action.
 */
export const syncVpsCostJob: JobDefinition<typeof JOB_NAMES.vpsSync> = {
  name: JOB_NAMES.vpsSync,
  async handle(ctx, data, job, log) {
    const row = await loadVps(ctx.db, data.vpsId);
    if (!row) return { outcome: "skipped", changed: 0, detail: `vps ${data.vpsId} not found` };

    let decision = decideLocally(row);
    let pendingUpgradeTotal: string | undefined;
    if (!decision) {
      const sid = serviceIdOf(row)!;
      try {
        const [instance, options] = await Promise.all([ctx.hostwinds.getInstance(sid), ctx.hostwinds.getPriceList(sid)]);
        decision = decideFromHostwinds(instance, options, data.targetRid);
        if (data.targetRid) pendingUpgradeTotal = await readPendingUpgrade(ctx, sid);
        else if (decision.kind === "cost") await crossCheckBillingCycle(ctx, sid, cycleOf(instance), decision, log);
      } catch (err) {
        decision = unpricedFromError(err);
        if (!decision) throw err;
      }
    }

    const ctxWrite = { jobId: jobKey(job), reason: data.reason };
    let changed = 0;
    if (decision.kind === "unpriced") {
      await markVpsUnpriced(ctx.db, [{ id: row.id, reason: decision.reason }]);
      log.warn({ vpsId: row.id, reason: decision.reason }, "vps unpriced; previous cost kept");
    } else {
      const { changes } = await writeVpsCosts(ctx.db, [{ id: row.id, cents: decision.cents, source: decision.source }], ctxWrite);
      changed += changes.length;
      for (const c of changes) log.info({ vpsId: c.id, from: c.oldCents === null ? null : formatCents(c.oldCents), to: formatCents(c.newCents), source: c.source }, "vps cost changed");
    }
    const ips = await repriceIps(ctx.db, { vpsIds: [row.id] }, await getIpConstantCents(ctx.db), ctxWrite);
    changed += ips.changed;
    if (changed > 0) await ctx.producer.enqueueAttributionRefresh({ reason: "vps cost changed", delayMs: ctx.attributionRefreshDelayMs });

    return decision.kind === "unpriced"
      ? { outcome: "unpriced", changed, detail: decision.reason }
      : { outcome: decision.outcome, changed, cost: formatCents(decision.cents), source: decision.source, ...(pendingUpgradeTotal ? { pendingUpgradeTotal } : {}) };
  },
};

/** The pending upgrade order's charge, for the job result and logs: read-only, optional. */
async function readPendingUpgrade(ctx: JobContext, sid: number): Promise<string | undefined> {
  try {
    return (await ctx.hostwinds.checkUpgradeOrder(sid)).total;
  } catch (err) {
    if (err instanceof HostwindsError && !err.transient) return undefined; // "no pending order" is an error array
    throw err;
  }
}

/**
 * get_billingcycle_prices' shape is undocumented: when we can read it and it
 * disagrees with get_price_list, say so in the log; never let it change the
 * figure or fail the sync (../shared/docs/hostwinds-api.md).
 */
async function crossCheckBillingCycle(
  ctx: JobContext,
  sid: number,
  cycle: BillingCycle,
  decision: Extract<VpsDecision, { kind: "cost" }>,
  log: Logger,
): Promise<void> {
  try {
    const prices = await ctx.hostwinds.getBillingCyclePrices(sid);
    // The cycle the figure was priced at (an hourly instance: monthly), as monthlyPrice chose it.
    const dec = offeredPrice(prices[cycle]);
    if (!dec) {
      log.warn({ serviceid: sid, cycle }, "get_billingcycle_prices shape not understood; using get_price_list");
      return;
    }
    const cents = toCentsHalfUp(dec, MONTHS_PER_CYCLE[cycle]);
    if (cents !== decision.cents) log.warn({ serviceid: sid, priceList: formatCents(decision.cents), billingCycle: formatCents(cents) }, "get_billingcycle_prices disagrees with get_price_list");
  } catch (err) {
    if (err instanceof HostwindsError && err.kind === "rate_limited") throw err;
    log.warn({ serviceid: sid, err }, "get_billingcycle_prices unavailable; using get_price_list");
  }
}
