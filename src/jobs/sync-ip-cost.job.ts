import { repriceAllIps, repriceIps } from "../db/cost-writes.js";
import { getIpConstantCents } from "../db/system-config.js";
import { jobKey, mayHaveRunBefore, type JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/** One IP: the constant from system_config, its override, or 0.00 on a decommissioned VPS. */
export const syncIpCostJob: JobDefinition<typeof JOB_NAMES.ipSync> = {
  name: JOB_NAMES.ipSync,
  async handle(ctx, data, job) {
    const r = await repriceIps(ctx.db, { ipIds: [data.ipId] }, await getIpConstantCents(ctx.db), { jobId: jobKey(job), reason: data.reason });
    if (r.checked === 0) return { outcome: "skipped", changed: 0, detail: `ip ${data.ipId} not found` };
    if (r.changed) await ctx.producer.enqueueAttributionRefresh({ reason: "ip cost changed", delayMs: ctx.attributionRefreshDelayMs });
    return { outcome: "repriced", changed: r.changed };
  },
};

/** Finance changed the constant: every IP without an override, in one set-based statement. */
export const repriceAllIpsJob: JobDefinition<typeof JOB_NAMES.ipRepriceAll> = {
  name: JOB_NAMES.ipRepriceAll,
  async handle(ctx, data, job, log) {
    const constant = await getIpConstantCents(ctx.db);
    const r = await repriceAllIps(ctx.db, constant, { jobId: jobKey(job), reason: data.reason }, {
      parallelism: ctx.cfg.IP_REPRICE_PARALLELISM,
      mayRepeat: mayHaveRunBefore(job),
    });
    log.info({ checked: r.checked, changed: r.changed }, "ips repriced");
    if (r.changed) await ctx.producer.enqueueAttributionRefresh({ reason: "ip constant changed", delayMs: 0 });
    return { outcome: "repriced", changed: r.changed, checked: r.checked };
  },
};
