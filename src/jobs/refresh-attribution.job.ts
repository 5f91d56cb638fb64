import { refreshViews } from "../services/refresh.js";
import type { JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/** Brings the precomputed tenant attribution (and so the executive views) up to date. */
export const refreshAttributionJob: JobDefinition<typeof JOB_NAMES.refreshAttribution> = {
  name: JOB_NAMES.refreshAttribution,
  async handle(ctx, _data, _job, log) {
    const { warning: skipped } = await refreshViews(ctx.repos);
    if (skipped === undefined) return { outcome: "refreshed", changed: 0 };
    log.warn({ skipped }, "attribution refreshed without rows whose cost is NaN");
    return { outcome: "refreshed", changed: 0, detail: skipped };
  },
};
