import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { openRedis } from "../infrastructure.js";
import { Resources } from "../resources.js";
import { JOB_NAMES, payloadSchemas, QUEUE_NAME, type JobName, type JobPayloads } from "./definitions.js";
import { DEFAULT_JOB_OPTIONS, RECONCILE_JOB_OPTIONS, SCHEDULED_RECONCILE_JOB_OPTIONS } from "./job-options.js";

/**
 * The typed producer API: what the application imports and the CLI uses. Bursts for one resource
 * collapse into one job (deduplication id from the business key); one arriving while that job runs
 * is kept for one more run (`keepLastIfActive`), so a change made mid-sync is never lost.
 */
export class CostSyncProducer {
  /** `redis`: the queue's connection, for what `status` reads beside the queue (the last key refusal). */
  constructor(
    readonly queue: Queue,
    readonly redis?: Redis,
  ) {}

  async #add<N extends JobName>(name: N, data: JobPayloads[N], opts: JobsOptions = {}) {
    const payload = payloadSchemas[name].parse(data);
    return this.queue.add(name, payload, opts);
  }

  /**
   * Reprices one VPS (and its IPs); `targetRid` prices an upgrade to that plan.
   * `dedupe: false` (ops waiting on their own job) always adds a new job.
   */
  enqueueVpsCostSync(vpsId: string, o: { reason: string; targetRid?: string; ownPrice?: boolean; dedupe?: boolean }) {
    // A sync from the instance's own price list is not collapsed into one that may price from the catalogue.
    const kind = o.targetRid ? `-upgrade-${o.targetRid}` : o.ownPrice ? "-own" : "";
    const opts = o.dedupe === false ? {} : { deduplication: { id: `vps-${vpsId}${kind}`, keepLastIfActive: true } };
    const data = { vpsId, reason: o.reason, targetRid: o.targetRid, ...(o.ownPrice ? { ownPrice: true } : {}) };
    return this.#add(JOB_NAMES.vpsSync, data, opts);
  }

  enqueueIpCostSync(ipId: string, o: { reason: string; dedupe?: boolean }) {
    const opts = o.dedupe === false ? {} : { deduplication: { id: `ip-${ipId}`, keepLastIfActive: true } };
    return this.#add(JOB_NAMES.ipSync, { ipId, reason: o.reason }, opts);
  }

  /** After Finance changed the IP constant: reprices every IP without an override. */
  enqueueIpConstantChanged(o: { reason: string; changedBy?: string }) {
    return this.#add(
      JOB_NAMES.ipRepriceAll,
      { reason: o.reason, changedBy: o.changedBy },
      { deduplication: { id: "ip-reprice-all", keepLastIfActive: true } },
    );
  }

  enqueueReconciliation(o: { trigger: "manual" | "schedule" } = { trigger: "manual" }) {
    const opts = o.trigger === "schedule" ? SCHEDULED_RECONCILE_JOB_OPTIONS : RECONCILE_JOB_OPTIONS;
    return this.#add(JOB_NAMES.reconcile, o, { ...opts, deduplication: { id: "reconcile-manual" } });
  }

  /** A price watch now (`cost-sync prices watch`); one at a time with the scheduled one. */
  enqueuePriceWatch(o: { trigger: "manual" | "schedule" } = { trigger: "manual" }) {
    return this.#add(JOB_NAMES.priceWatch, o, { deduplication: { id: "price-watch" } });
  }

  /** Recomputes the tenant attribution behind the views, at most once per `delayMs` burst. */
  enqueueAttributionRefresh(o: { reason: string; delayMs?: number }) {
    const opts = { delay: o.delayMs ?? 0, deduplication: { id: "attribution-refresh", keepLastIfActive: true } };
    return this.#add(JOB_NAMES.refreshAttribution, { reason: o.reason }, opts);
  }
}

/** The queue every producer and worker of a prefix shares. */
export function openQueue(res: Resources, connection: Redis, prefix: string): Queue {
  const queue = res.add(
    "queue",
    new Queue(QUEUE_NAME, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    (q) => q.close(),
  );
  // A queue without an error listener crashes the process on a Redis hiccup; the connection's own listener logs it.
  queue.on("error", () => undefined);
  return queue;
}

/**
 * A producer with its own Redis connection that fails fast when Redis is down (no offline queue):
 * a caller learns at once that nothing was enqueued.
 */
export async function createProducer(o: {
  redisUrl: string;
  prefix: string;
  timeoutMs?: number;
}): Promise<{ producer: CostSyncProducer; close(): Promise<void> }> {
  const res = new Resources();
  try {
    const connection = openRedis(res, o.redisUrl, "producer", { connectTimeoutMs: o.timeoutMs });
    await ready(connection, o.redisUrl);
    const producer = new CostSyncProducer(openQueue(res, connection, o.prefix), connection);
    return {
      producer,
      close: async () => {
        await res.close();
      },
    };
  } catch (err) {
    await res.close();
    throw err;
  }
}

/** Resolves once the fail-fast connection is up; rejects with a readable error when it never comes. */
function ready(connection: Redis, url: string): Promise<void> {
  let lastError: Error | undefined;
  connection.on("error", (e) => (lastError = e));
  return new Promise<void>((resolve, reject) => {
    connection.once("ready", () => resolve());
    connection.once("end", () =>
      reject(new Error(`Redis unreachable at ${redact(url)}${lastError ? ` (${lastError.message})` : ""}`)),
    );
  });
}

/** A Redis URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid url)";
  }
}
