import type { JobRegistry } from "./context.js";
import { JOB_NAMES } from "./definitions.js";
import { priceWatchJob } from "./price-watch.job.js";
import { reconcileJob } from "./reconcile.job.js";
import { refreshAttributionJob } from "./refresh-attribution.job.js";
import { repriceAllIpsJob, syncIpCostJob } from "./sync-ip-cost.job.js";
import { syncVpsCostJob } from "./sync-vps-cost.job.js";

/** Every job name has exactly one handler; a missing one does not compile. */
export const JOBS: JobRegistry = {
  [JOB_NAMES.vpsSync]: syncVpsCostJob,
  [JOB_NAMES.ipSync]: syncIpCostJob,
  [JOB_NAMES.ipRepriceAll]: repriceAllIpsJob,
  [JOB_NAMES.reconcile]: reconcileJob,
  [JOB_NAMES.refreshAttribution]: refreshAttributionJob,
  [JOB_NAMES.priceWatch]: priceWatchJob,
};
