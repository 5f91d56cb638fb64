import { markVpsUnpriced, repriceIps, writeVpsCosts, type AnomalyRule, type VpsCost } from "../db/cost-writes.js";
import { addCalls, advanceRun, completeRun, failRun, openRun } from "../db/reconciliation-runs.js";
import { getIpConstantCents, recordSuccessfulReconciliation } from "../db/system-config.js";
import { HostwindsError } from "../hostwinds/errors.js";
import type { ListedInstance } from "../hostwinds/schemas.js";
import { parseUsdCents } from "../money.js";
import { jobKey, type JobContext, type JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";
import { mapLimit } from "./map-limit.js";
import { decideFromHostwinds, decideLocally, unpricedFromError, type VpsDecision } from "./price-vps.js";
import { loadVpsChunk, serviceIdOf, type VpsRow } from "./vps-rows.js";

type Outcome = VpsDecision | { kind: "failed"; reason: string };

/**
 * Reprices every VPS and IP. Walks VPS in id order, chunk by chunk; each
 * chunk's writes and the run's cursor commit together, so a crashed worker's
 * retry resumes after the last committed chunk. Hostwinds calls: one
 * get_instances per attempt (all cycles at once) plus one get_price_list per
 * priced VPS; nothing is fetched twice.
 */
export const reconcileJob: JobDefinition<typeof JOB_NAMES.reconcile> = {
  name: JOB_NAMES.reconcile,
  async handle(ctx, data, job, log) {
    const run = await openRun(ctx.db, jobKey(job), data.trigger);
    if (run.status === "completed") return { outcome: "completed", changed: 0, runId: run.id, detail: "already completed" };
    const jobCtx = { jobId: jobKey(job), reason: `reconciliation (${data.trigger})` };
    // Phase timings in the log: where a slow run spent its time.
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      log.info({ runId: run.id, phase: name, ms: Math.round(now - mark) }, "reconciliation phase done");
      mark = now;
    };
    try {
      // The client already keeps only what pricing reads (see instancesSchema).
      const instances = new Map((await ctx.hostwinds.getInstances()).map((i) => [i.serviceid, i]));
      await addCalls(ctx.db, run.id, 1);
      // One constant and one anomaly rule for the whole run.
      const pricing: RunPricing = {
        ipConstantCents: await getIpConstantCents(ctx.db),
        anomaly: { runId: run.id, percent: ctx.cfg.ANOMALY_THRESHOLD_PERCENT, usdCents: parseUsdCents(ctx.cfg.ANOMALY_THRESHOLD_USD)! },
      };
      phase("get_instances");
      // Pipelined: while one chunk commits, the next is already being priced.
      // The cursor only moves when a chunk commits, so a crash loses no work and repeats none.
      const fetchAndPrice = async (after: string | null) => {
        const chunk = await loadVpsChunk(ctx.db, after, ctx.cfg.RECONCILE_CHUNK_SIZE);
        return { chunk, ...(chunk.length ? await priceChunk(ctx, chunk, instances) : { outcomes: [], calls: 0 }) };
      };
      let next = fetchAndPrice(run.cursor);
      for (;;) {
        const { chunk, outcomes, calls } = await next;
        if (chunk.length === 0) break;
        const cursor = chunk.at(-1)!.id;
        next = fetchAndPrice(cursor);
        try {
          await commitChunk(ctx, pricing, cursor, chunk, outcomes, calls, jobCtx);
        } catch (err) {
          await next.catch(() => {}); // settle the prefetch before giving up
          throw err;
        }
        await job.updateProgress({ cursor });
      }
      phase("vps and their ips, in chunks");
      // IPs on no VPS at all are not reached through any chunk.
      const orphans = await repriceIps(ctx.db, { orphans: true }, pricing.ipConstantCents, jobCtx, pricing.anomaly);
      const summary = await completeRun(ctx.db, run.id, { checked: orphans.checked, changed: orphans.changed });
      await recordSuccessfulReconciliation(ctx.db, run.id, summary.finishedAt ?? new Date());
      // A run rewrites most cost rows: reclaim the dead versions now rather than whenever autovacuum comes by.
      await ctx.db.$executeRawUnsafe("VACUUM (ANALYZE) vps_instances, smtp_ip_addresses").catch((err: unknown) => log.warn({ err }, "vacuum after reconciliation failed"));
      phase("vacuum");
      // The views' figures are recomputed by their own job, right away, like after any other cost change.
      await ctx.producer.enqueueAttributionRefresh({ reason: "reconciliation completed", delayMs: 0 });
      ctx.metrics.lastReconciliation.set((summary.finishedAt ?? new Date()).getTime() / 1000);
      ctx.analytics.capture("cost_reconciliation_completed", { ...summary, startedAt: summary.startedAt.toISOString() });
      log.info({ runId: run.id, vpsChecked: summary.vpsChecked, vpsChanged: summary.vpsChanged, ipChanged: summary.ipChanged }, "reconciliation completed");
      return { outcome: "completed", changed: summary.vpsChanged + summary.ipChanged, runId: run.id, summary };
    } catch (err) {
      if (!(err instanceof HostwindsError && err.transient)) await failRun(ctx.db, run.id, (err as Error).message);
      throw err;
    }
  },
};

async function priceChunk(ctx: JobContext, chunk: VpsRow[], instances: Map<number, ListedInstance>) {
  let calls = 0;
  const outcomes = await mapLimit(chunk, ctx.reconcileConcurrency, async (row): Promise<Outcome> => {
    const local = decideLocally(row);
    if (local) return local;
    const sid = serviceIdOf(row)!;
    const instance = instances.get(sid);
    if (!instance) return { kind: "unpriced", reason: `serviceid ${sid} not in get_instances` };
    try {
      calls++;
      return decideFromHostwinds(instance, await ctx.hostwinds.getPriceList(sid));
    } catch (err) {
      const unpriced = unpricedFromError(err);
      if (unpriced) return unpriced;
      // A 429 or an auth failure concerns the whole run: stop (the job retries or pauses).
      if (err instanceof HostwindsError && (err.kind === "rate_limited" || !err.transient)) throw err;
      return { kind: "failed", reason: (err as Error).message };
    }
  });
  return { outcomes, calls };
}

/** What stays fixed for a whole run. */
interface RunPricing {
  ipConstantCents: bigint;
  anomaly: AnomalyRule;
}

/**
 * One chunk in one transaction: the VPS costs, their IPs (which depend on the
 * VPS's status), anomalies of both, and the run's cursor and tallies.
 */
async function commitChunk(
  ctx: JobContext,
  pricing: RunPricing,
  cursor: string,
  chunk: VpsRow[],
  outcomes: Outcome[],
  calls: number,
  jobCtx: { jobId: string; reason: string },
) {
  const costs: VpsCost[] = [];
  const unpriced: { id: string; reason: string }[] = [];
  let failed = 0;
  outcomes.forEach((o, i) => {
    const id = chunk[i]!.id;
    if (o.kind === "cost") costs.push({ id, cents: o.cents, source: o.source });
    else if (o.kind === "unpriced") unpriced.push({ id, reason: o.reason });
    else failed++;
  });
  const anomalies = await ctx.db.$transaction(async (tx) => {
    const vps = await writeVpsCosts(tx, costs, jobCtx, pricing.anomaly);
    await markVpsUnpriced(tx, unpriced);
    const ips = await repriceIps(tx, { vpsIds: chunk.map((v) => v.id) }, pricing.ipConstantCents, jobCtx, pricing.anomaly);
    await advanceRun(tx, pricing.anomaly.runId, {
      cursor, checked: chunk.length, changed: vps.changes.length, unpriced: unpriced.length, failed, calls, ipChecked: ips.checked, ipChanged: ips.changed,
    });
    return vps.anomalies + ips.anomalies;
  }, { timeout: 60_000 });
  if (anomalies > 0) ctx.analytics.capture("cost_anomalies_found", { runId: pricing.anomaly.runId, count: anomalies });
}
