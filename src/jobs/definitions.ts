import { z } from "zod";

/**
 * Job names live in Redis: dotted, lower-case, permanent. Payloads hold ids,
 * never secrets; their types come from these schemas.
 */
export const JOB_NAMES = {
  vpsSync: "vps.sync",
  ipSync: "ip.sync",
  ipRepriceAll: "ip.reprice-all",
  reconcile: "reconcile.run",
  refreshAttribution: "attribution.refresh",
  priceWatch: "prices.watch",
  digest: "digest.post",
} as const;

export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

const reason = z.string().trim().min(1).max(300);

const vpsSyncSchema = z.object({
  vpsId: z.uuid(),
  reason,
  /** The rid the application passed to upgrade_instance. */
  targetRid: z.string().regex(/^\d+$/, "must be a Hostwinds resource id (digits)").optional(),
  /**
   * Price from the instance's own get_price_list(serviceid), never from the catalogue: a confirmed
   * catalogue price change (the price watch) and members of a group whose prices are account-specific.
   */
  ownPrice: z.boolean().optional(),
});
const ipSyncSchema = z.object({ ipId: z.uuid(), reason });
const ipRepriceAllSchema = z.object({
  reason,
  /** Who changed the constant (COST_SYNC_OPERATOR or the OS user), recorded in cost_history.changed_by. */
  changedBy: z.string().trim().min(1).max(200).optional(),
});
const reconcileSchema = z.object({ trigger: z.enum(["schedule", "manual"]) });
const refreshAttributionSchema = z.object({ reason });
const priceWatchSchema = z.object({ trigger: z.enum(["schedule", "manual"]) });
const digestSchema = z.object({ trigger: z.enum(["schedule", "manual"]) });

export const payloadSchemas = {
  [JOB_NAMES.vpsSync]: vpsSyncSchema,
  [JOB_NAMES.ipSync]: ipSyncSchema,
  [JOB_NAMES.ipRepriceAll]: ipRepriceAllSchema,
  [JOB_NAMES.reconcile]: reconcileSchema,
  [JOB_NAMES.refreshAttribution]: refreshAttributionSchema,
  [JOB_NAMES.priceWatch]: priceWatchSchema,
  [JOB_NAMES.digest]: digestSchema,
} as const satisfies Record<JobName, z.ZodType>;

/** Maps each job name to its payload type, so enqueueing the wrong payload does not compile. */
export type JobPayloads = { [N in JobName]: z.infer<(typeof payloadSchemas)[N]> };

/** What every handler returns: shown in `status` and by `--wait`. */
export interface JobResult {
  outcome:
    | "priced"
    | "unpriced"
    | "override"
    | "decommissioned"
    | "repriced"
    | "skipped"
    | "completed"
    | "refreshed"
    | "watched"
    | "posted";
  changed: number;
  detail?: string;
  [key: string]: unknown;
}

/** Name of the single queue; QUEUE_PREFIX namespaces it in Redis. */
export const QUEUE_NAME = "cost-sync";
/** Id of the one reconciliation scheduler, upserted by every worker. */
export const RECONCILE_SCHEDULER_ID = "monthly-reconciliation";
/** Id of the daily price watch's scheduler. */
export const PRICE_WATCH_SCHEDULER_ID = "daily-price-watch";
/** Id of the periodic refresh of the executive views' precomputed figures. */
export const VIEWS_REFRESH_SCHEDULER_ID = "views-refresh";
/** Id of the weekly digest's scheduler (present only while DIGEST_WEBHOOK_URL is set). */
export const DIGEST_SCHEDULER_ID = "weekly-digest";
