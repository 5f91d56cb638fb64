import type { JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/**
 * The weekly digest (src/services/digest/): posted to DIGEST_WEBHOOK_URL and recorded as taken.
 * Skipped when the URL was unset after the job was queued.
 */
export const digestJob: JobDefinition<typeof JOB_NAMES.digest> = {
  name: JOB_NAMES.digest,
  async handle(ctx, data) {
    const url = ctx.cfg.DIGEST_WEBHOOK_URL;
    if (!url || !ctx.postDigest) return { outcome: "skipped", changed: 0, detail: "DIGEST_WEBHOOK_URL is not set" };
    const d = await ctx.postDigest(url, data.trigger);
    return {
      outcome: "posted",
      changed: 1,
      detail: `digest since ${d.periodStart.toISOString()}: ${String(d.anomalies.length)} new anomalies`,
    };
  },
};
