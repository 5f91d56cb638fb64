import { refreshViews } from "../services/refresh.js";
import type { JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/** The reason the views-refresh scheduler gives (worker-services.ts). */
export const PERIODIC_REFRESH = "periodic refresh";

/** Brings the precomputed tenant attribution (and so the executive views) up to date. */
export const refreshAttributionJob: JobDefinition<typeof JOB_NAMES.refreshAttribution> = {
  name: JOB_NAMES.refreshAttribution,
  async handle(ctx, data, _job, log) {
    const { warning: skipped } = await refreshViews(ctx.repos);
    if (data.reason === PERIODIC_REFRESH && ctx.refreshForecasts) {
      // Every 10 minutes, not after each cost change: a forecast reads months of history.
      const scopes = await ctx.refreshForecasts();
      log.debug({ scopes }, "stored forecasts refreshed");
    }
    if (skipped === undefined) return { outcome: "refreshed", changed: 0 };
    log.warn({ skipped }, "attribution refreshed without rows whose cost is NaN");
    return { outcome: "refreshed", changed: 0, detail: skipped };
  },
};
