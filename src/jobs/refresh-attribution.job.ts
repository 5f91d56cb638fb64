import type { JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/** Brings the precomputed tenant attribution (and so the executive views) up to date. */
export const refreshAttributionJob: JobDefinition<typeof JOB_NAMES.refreshAttribution> = {
  name: JOB_NAMES.refreshAttribution,
  async handle(ctx) {
    await ctx.repos.attribution.refresh();
    return { outcome: "refreshed", changed: 0 };
  },
};
