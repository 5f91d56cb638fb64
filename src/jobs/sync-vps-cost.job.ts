import type { VpsRow } from "../db/writes/vps-costs.js";
import { formatCents } from "../money.js";
import type { Logger } from "../logger.js";
import { jobKey, type JobContext, type JobDefinition } from "./context.js";
import { JOB_NAMES, type JobResult } from "./definitions.js";
import { classify } from "./failure-policy.js";
import { priceForSync } from "./sync-pricing.js";
import { decideFromPrice, decideLocally, serviceIdOf, type VpsDecision } from "./vps-decision.js";

/**
 * Prices one VPS from Hostwinds (its cycle and specs from get_instance, its plan's price from the
 * shared catalogue) and writes it unless overridden; then reprices the VPS's IPs, which depend on
 * its status. An upgrade event prices the target rid at the instance's cycle. Never sends a
 * mutating action.
 */
export const syncVpsCostJob: JobDefinition<typeof JOB_NAMES.vpsSync> = {
  name: JOB_NAMES.vpsSync,
  async handle(ctx, data, job, log) {
    const row = await ctx.repos.vps.load(data.vpsId);
    if (!row) return { outcome: "skipped", changed: 0, detail: `vps ${data.vpsId} not found` };
    const { decision, pendingUpgradeTotal } = await decide(ctx, row, data);
    const write = { jobId: jobKey(job), reason: data.reason };
    const vps = await writeDecision(ctx, { row, decision, write }, log);
    const constantCents = await ctx.repos.settings.ipConstantCents();
    const ips = await ctx.repos.ips.reprice({ vpsIds: [row.id] }, { constantCents, write });
    const changed = vps.changed + ips.changed;
    if (changed > 0) {
      await ctx.producer.enqueueAttributionRefresh({
        reason: "vps cost changed",
        delayMs: ctx.attributionRefreshDelayMs,
      });
    }
    if (vps.skipped) return { outcome: "skipped", changed, detail: FACTS_MOVED };
    return result(decision, changed, pendingUpgradeTotal);
  },
};

const FACTS_MOVED =
  "the VPS's status, serviceid or override changed while it was priced; the sync that change enqueued prices it";

/** Writes the decision, re-checking in the statement the facts it rested on (`row`). */
async function writeDecision(
  ctx: JobContext,
  o: { row: VpsRow; decision: VpsDecision; write: { jobId: string; reason: string } },
  log: Logger,
): Promise<{ changed: number; skipped: boolean }> {
  const { row, decision } = o;
  const facts = { serviceId: row.serviceId, status: row.status, overrideCents: row.overrideCents };
  if (decision.kind === "unpriced") {
    const { skipped } = await ctx.repos.vps.markUnpriced([{ id: row.id, reason: decision.reason, facts }]);
    if (skipped.length === 0) log.warn({ vpsId: row.id, reason: decision.reason }, "vps unpriced; previous cost kept");
    return { changed: 0, skipped: skipped.length > 0 };
  }
  const cost = { id: row.id, cents: decision.cents, source: decision.source, facts };
  const { changes, skipped } = await ctx.repos.vps.writeCosts([cost], { write: o.write });
  for (const c of changes) {
    const from = c.oldCents === null ? null : formatCents(c.oldCents);
    log.info({ vpsId: c.id, from, to: formatCents(c.newCents), source: c.source }, "vps cost changed");
  }
  if (skipped.length > 0) log.info({ vpsId: row.id }, "vps facts moved while it was priced; not written");
  return { changed: changes.length, skipped: skipped.length > 0 };
}

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

/**
 * The decision for one VPS: locally when possible, else from Hostwinds — get_instance, then the
 * catalogue (see sync-pricing.ts). An answer about this VPS alone makes it unpriced.
 */
async function decide(ctx: JobContext, row: VpsRow, o: { targetRid?: string; ownPrice?: boolean }) {
  const { targetRid } = o;
  const local = decideLocally(row);
  if (local) return { decision: local, pendingUpgradeTotal: undefined };
  const sid = serviceIdOf(row) ?? 0;
  try {
    const instance = await ctx.hostwinds.getInstance(sid);
    const decision = decideFromPrice(await priceForSync(ctx, instance, o));
    // An upgrade event also reads the pending order's charge, for the result and the log.
    const pendingUpgradeTotal = targetRid ? await readPendingUpgrade(ctx, sid) : undefined;
    return { decision, pendingUpgradeTotal };
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
