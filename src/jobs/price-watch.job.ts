import { watchPrices } from "../services/price-watch/watch-prices.js";
import type { JobDefinition } from "./context.js";
import { JOB_NAMES } from "./definitions.js";

/**
 * The daily price watch (src/services/price-watch/): the catalogue on the bulk client (behind
 * event syncs at the shared budget), members confirmed as changed queued to be repriced from
 * their own answers.
 */
export const priceWatchJob: JobDefinition<typeof JOB_NAMES.priceWatch> = {
  name: JOB_NAMES.priceWatch,
  async handle(ctx, data, _job, log) {
    const result = await watchPrices(
      {
        hostwinds: ctx.hostwindsBulk,
        store: ctx.repos.priceWatch,
        reprice: (vpsId, reason) => ctx.producer.enqueueVpsCostSync(vpsId, { reason, ownPrice: true }),
        log,
      },
      data.trigger,
    );
    const detail = result.baseline
      ? `baseline of ${String(result.prices)} prices`
      : `${String(result.changes.length)} catalogue price change(s)`;
    return { outcome: "watched", changed: result.changes.length, detail, ...result };
  },
};
