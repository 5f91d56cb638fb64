import { parseUsdCents } from "../money.js";
import { jobKey, type JobContext, type JobDefinition, type JobInfo } from "./context.js";
import { JOB_NAMES } from "./definitions.js";
import { classify, ShutdownError } from "./failure-policy.js";
import { finishRun } from "./reconcile/finish-run.js";
import { phaseTimer } from "./reconcile/phase-timer.js";
import { prepareRun } from "./reconcile/prepare-run.js";
import { pricedChunks, type ChunkWalk } from "./reconcile/priced-chunks.js";
import { recordFleetCheck } from "./reconcile/record-untracked.js";
import { refreshSavingsAfterRun } from "./reconcile/refresh-savings.js";
import type { AnomalyRule } from "../db/writes/cost-writes.js";

/**
 * Reprices every VPS and IP. Walks VPS in id order, chunk by chunk; each chunk's writes and the
 * run's cursor commit together, so a crashed worker's retry resumes after the last committed
 * chunk, and a worker asked to stop hands the run over at the next chunk boundary. Hostwinds
 * calls grow with the number of plans, not of VPS: get_instances and the catalogue, one call per
 * plan group to learn its plan, a verified sample of each group, and one call per VPS only where
 * a group could not be priced from the catalogue.
 */
export const reconcileJob: JobDefinition<typeof JOB_NAMES.reconcile> = {
  name: JOB_NAMES.reconcile,
  async handle(ctx, data, job, log) {
    const run = await ctx.repos.runs.open({ jobKey: jobKey(job), trigger: data.trigger });
    if (run.status === "completed")
      return { outcome: "completed", changed: 0, runId: run.id, detail: "already completed" };
    const write = { jobId: jobKey(job), reason: `reconciliation (${data.trigger})` };
    const anomaly = {
      runId: run.id,
      percent: ctx.cfg.ANOMALY_THRESHOLD_PERCENT,
      usdCents: parseUsdCents(ctx.cfg.ANOMALY_THRESHOLD_USD) ?? 0n,
    };
    const timer = phaseTimer(log, run.id);
    try {
      const inputs = await prepareRun(ctx, run.id, log);
      // The constant as the run read it; a chunk's IP writes re-check it (see ipRule's `stale`).
      const constantCents = await ctx.repos.settings.ipConstantCents();
      timer.phase("get_instances, catalogue and plan groups");
      const walk: ChunkWalk = {
        repos: ctx.repos,
        hostwinds: ctx.hostwindsBulk,
        ...inputs,
        after: run.cursor,
        chunkSize: ctx.cfg.RECONCILE_CHUNK_SIZE,
        concurrency: ctx.reconcileConcurrency,
        stop: ctx.shutdown,
      };
      await commitAll(ctx, { walk, job, run: { id: run.id, anomaly }, constantCents, write });
      timer.phase("vps and their ips, in chunks");
      const untracked = await recordFleetCheck(ctx, { runId: run.id, check: inputs.check, pricing: walk }, log);
      timer.phase("untracked instances and ghost rows");
      const summary = await finishRun(ctx, { runId: run.id, constantCents, write, anomaly }, log);
      timer.phase("vacuum");
      await refreshSavingsAfterRun(ctx, { runId: run.id, instances: inputs.instances }, log);
      timer.phase("savings");
      const changed = summary.vpsChanged + summary.ipChanged;
      const rejectedInstances = inputs.rejectedCount;
      return { outcome: "completed", changed, runId: run.id, summary, rejectedInstances, untracked };
    } catch (err) {
      // Recorded for `status`; a retry reopens the run. A rate limit or a shutdown only pauses it.
      const failure = classify(err);
      if (failure.action !== "pause" && failure.action !== "release") await ctx.repos.runs.fail(run.id, failure.reason);
      throw err;
    }
  },
};

interface ChunkLoop {
  walk: ChunkWalk;
  job: JobInfo;
  run: { id: string; anomaly: AnomalyRule };
  constantCents: bigint;
  write: { jobId: string; reason: string };
}

/**
 * Commits the priced chunks one by one, reporting progress as `{ checked, total, percent, chunk,
 * chunks }` (what `reconcile --wait` and bull-board show) and stopping at a chunk boundary once the
 * worker is asked to shut down: the cursor is committed, so the next worker resumes there.
 */
async function commitAll(ctx: JobContext, o: ChunkLoop): Promise<void> {
  const total = await ctx.repos.vps.count();
  const chunks = Math.max(1, Math.ceil(total / o.walk.chunkSize));
  let checked = await ctx.repos.runs.checkedSoFar(o.run.id);
  for await (const chunk of pricedChunks(o.walk)) {
    const done = await ctx.repos.runs.commitChunk({
      run: o.run,
      chunk,
      constantCents: o.constantCents,
      write: o.write,
    });
    if (done.anomalies > 0) ctx.analytics.capture("cost_anomalies_found", { runId: o.run.id, count: done.anomalies });
    checked += chunk.vpsIds.length;
    const percent = total === 0 ? 100 : Math.min(100, Math.floor((checked * 100) / total));
    await o.job.updateProgress({ checked, total, percent, chunk: Math.ceil(checked / o.walk.chunkSize), chunks });
    if (ctx.shutdown.aborted) throw new ShutdownError();
  }
}
