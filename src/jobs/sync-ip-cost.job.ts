import { jobKey, mayHaveRunBefore, type JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/** One IP: the constant from system_config, its override, or 0.00 on a decommissioned VPS. */
export const syncIpCostJob: JobDefinition<typeof JOB_NAMES.ipSync> = {
  name: JOB_NAMES.ipSync,
  async handle(ctx, data, job) {
    const constantCents = await ctx.repos.settings.ipConstantCents();
    const r = await ctx.repos.ips.reprice(
      { ipIds: [data.ipId] },
      { constantCents, write: { jobId: jobKey(job), reason: data.reason } },
    );
    if (r.checked === 0) return { outcome: "skipped", changed: 0, detail: `ip ${data.ipId} not found` };
    if (r.changed)
      await ctx.producer.enqueueAttributionRefresh({
        reason: "ip cost changed",
        delayMs: ctx.attributionRefreshDelayMs,
      });
    return { outcome: "repriced", changed: r.changed };
  },
};

/** Finance changed the constant: every IP without an override, set-based. */
export const repriceAllIpsJob: JobDefinition<typeof JOB_NAMES.ipRepriceAll> = {
  name: JOB_NAMES.ipRepriceAll,
  async handle(ctx, data, job, log) {
    const constant = await ctx.repos.settings.ipConstantCents();
    const r = await ctx.repos.ips.repriceAll(constant, {
      write: { jobId: jobKey(job), reason: data.reason, changedBy: data.changedBy },
      parallelism: ctx.cfg.IP_REPRICE_PARALLELISM,
      mayRepeat: mayHaveRunBefore(job),
    });
    log.info({ checked: r.checked, changed: r.changed }, "ips repriced");
    if (r.changed) await ctx.producer.enqueueAttributionRefresh({ reason: "ip constant changed", delayMs: 0 });
    return { outcome: "repriced", changed: r.changed, checked: r.checked };
  },
};
