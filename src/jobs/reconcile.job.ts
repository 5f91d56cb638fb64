import { parseUsdCents } from "../money.js";
import { jobKey, type JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";
import { classify } from "./failure-policy.js";
import { finishRun } from "./reconcile/finish-run.js";
import { phaseTimer } from "./reconcile/phase-timer.js";
import { pricedChunks } from "./reconcile/priced-chunks.js";

/**
 * Reprices every VPS and IP. Walks VPS in id order, chunk by chunk; each chunk's writes and the
 * run's cursor commit together, so a crashed worker's retry resumes after the last committed
 * chunk. Hostwinds calls: one get_instances per attempt (every cycle at once) plus one
 * get_price_list per priced VPS; nothing is fetched twice.
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
      // The client already keeps only what pricing reads (see listedInstanceSchema).
      const instances = new Map((await ctx.hostwinds.getInstances()).map((i) => [i.serviceid, i]));
      await ctx.repos.runs.addCalls(run.id, 1);
      // One constant for the whole run.
      const constantCents = await ctx.repos.settings.ipConstantCents();
      timer.phase("get_instances");
      const walk = {
        repos: ctx.repos,
        hostwinds: ctx.hostwinds,
        instances,
        after: run.cursor,
        chunkSize: ctx.cfg.RECONCILE_CHUNK_SIZE,
        concurrency: ctx.reconcileConcurrency,
      };
      for await (const chunk of pricedChunks(walk)) {
        const anomalies = await ctx.repos.runs.commitChunk({
          run: { id: run.id, anomaly },
          chunk,
          constantCents,
          write,
        });
        if (anomalies > 0) ctx.analytics.capture("cost_anomalies_found", { runId: run.id, count: anomalies });
        await job.updateProgress({ cursor: chunk.vpsIds.at(-1) });
      }
      timer.phase("vps and their ips, in chunks");
      const summary = await finishRun(ctx, { runId: run.id, constantCents, write, anomaly }, log);
      timer.phase("vacuum");
      return { outcome: "completed", changed: summary.vpsChanged + summary.ipChanged, runId: run.id, summary };
    } catch (err) {
      // Recorded for `status`; a retry reopens the run. A rate limit is only a pause.
      const failure = classify(err);
      if (failure.action !== "pause") await ctx.repos.runs.fail(run.id, failure.reason);
      throw err;
    }
  },
};
