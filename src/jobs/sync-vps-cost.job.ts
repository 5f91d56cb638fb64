import type { VpsRow } from "../db/vps-costs.js";
import { formatCents } from "../money.js";
import type { Logger } from "../logger.js";
import { cycleOf } from "../pricing/monthly-price.js";
import { crossCheckBillingCycle } from "./billing-cycle-cross-check.js";
import { jobKey, type JobContext, type JobDefinition } from "./context.js";
import { JOB_NAMES, type JobResult } from "./definitions.js";
import { classify } from "./failure-policy.js";
import { decideFromHostwinds, decideLocally, serviceIdOf, type VpsDecision } from "./vps-decision.js";

/**
 * Prices one VPS from Hostwinds (its cycle from get_instance, its plan from
 * get_price_list(serviceid)) and writes it unless overridden; then reprices the VPS's IPs, which
 * depend on its status. An upgrade event prices the target rid at the instance's cycle. Never
 * sends a mutating action.
 */
export const syncVpsCostJob: JobDefinition<typeof JOB_NAMES.vpsSync> = {
  name: JOB_NAMES.vpsSync,
  async handle(ctx, data, job, log) {
    const row = await ctx.repos.vps.load(data.vpsId);
    if (!row) return { outcome: "skipped", changed: 0, detail: `vps ${data.vpsId} not found` };
    const { decision, pendingUpgradeTotal } = await decide(ctx, row, data.targetRid, log);
    const write = { jobId: jobKey(job), reason: data.reason };
    let changed = 0;
    if (decision.kind === "unpriced") {
      await ctx.repos.vps.markUnpriced([{ id: row.id, reason: decision.reason }]);
      log.warn({ vpsId: row.id, reason: decision.reason }, "vps unpriced; previous cost kept");
    } else {
      const { changes } = await ctx.repos.vps.writeCosts(
        [{ id: row.id, cents: decision.cents, source: decision.source }],
        { write },
      );
      changed += changes.length;
      for (const c of changes) {
        log.info(
          {
            vpsId: c.id,
            from: c.oldCents === null ? null : formatCents(c.oldCents),
            to: formatCents(c.newCents),
            source: c.source,
          },
          "vps cost changed",
        );
      }
    }
    const constantCents = await ctx.repos.settings.ipConstantCents();
    changed += (await ctx.repos.ips.reprice({ vpsIds: [row.id] }, { constantCents, write })).changed;
    if (changed > 0)
      await ctx.producer.enqueueAttributionRefresh({
        reason: "vps cost changed",
        delayMs: ctx.attributionRefreshDelayMs,
      });
    return result(decision, changed, pendingUpgradeTotal);
  },
};

function result(decision: VpsDecision, changed: number, pendingUpgradeTotal: string | undefined): JobResult {
  if (decision.kind === "unpriced") return { outcome: "unpriced", changed, detail: decision.reason };
  return {
    outcome: decision.outcome,
    changed,
    cost: formatCents(decision.cents),
    source: decision.source,
    ...(pendingUpgradeTotal ? { pendingUpgradeTotal } : {}),
  };
}

/** The decision for one VPS: locally when possible, else from Hostwinds (an answer about this VPS alone makes it unpriced). */
async function decide(ctx: JobContext, row: VpsRow, targetRid: string | undefined, log: Logger) {
  const local = decideLocally(row);
  if (local) return { decision: local, pendingUpgradeTotal: undefined };
  const sid = serviceIdOf(row) ?? 0;
  try {
    const [instance, options] = await Promise.all([ctx.hostwinds.getInstance(sid), ctx.hostwinds.getPriceList(sid)]);
    const decision = decideFromHostwinds(instance, options, targetRid);
    if (targetRid) return { decision, pendingUpgradeTotal: await readPendingUpgrade(ctx, sid) };
    if (decision.kind === "cost")
      await crossCheckBillingCycle(
        ctx.hostwinds,
        { serviceid: sid, cycle: cycleOf(instance), cents: decision.cents },
        log,
      );
    return { decision, pendingUpgradeTotal: undefined };
  } catch (err) {
    const failure = classify(err);
    if (failure.action !== "unpriced") throw err;
    return { decision: { kind: "unpriced", reason: failure.reason } as const, pendingUpgradeTotal: undefined };
  }
}

/** The pending upgrade order's charge, for the job result and logs: read-only, optional. */
async function readPendingUpgrade(ctx: JobContext, sid: number): Promise<string | undefined> {
  try {
    return (await ctx.hostwinds.checkUpgradeOrder(sid)).total;
  } catch (err) {
    // "No pending order" is an error envelope about this instance: there is simply none to show.
    if (classify(err).action === "unpriced") return undefined;
    throw err;
  }
}
