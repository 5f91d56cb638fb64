import { Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { JOB_NAMES, payloadSchemas, QUEUE_NAME, type JobName, type JobPayloads } from "./definitions.js";

/** Retention and retry defaults for every job (BullMQ production guide). */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
};

/**
 * The typed producer API: what the application imports and the CLI uses.
 * Bursts for one resource collapse into one job (deduplication id from the
 * business key); one arriving while that job runs is kept for one more run
 * (`keepLastIfActive`), so a change made mid-sync is never lost.
 */
export class CostSyncProducer {
  constructor(readonly queue: Queue) {}

  async #add<N extends JobName>(name: N, data: JobPayloads[N], opts: JobsOptions = {}) {
    const payload = payloadSchemas[name].parse(data);
    return this.queue.add(name, payload, opts);
  }

  /**
   * Reprices one VPS (and its IPs); `targetRid` prices an upgrade to that plan.
   * `dedupe: false` (ops waiting on their own job) always adds a new job.
   */
  enqueueVpsCostSync(vpsId: string, o: { reason: string; targetRid?: string; dedupe?: boolean }) {
    const dedup = o.targetRid ? `vps-${vpsId}-upgrade-${o.targetRid}` : `vps-${vpsId}`;
    return this.#add(JOB_NAMES.vpsSync, { vpsId, reason: o.reason, targetRid: o.targetRid }, o.dedupe === false ? {} : { deduplication: { id: dedup, keepLastIfActive: true } });
  }

  enqueueIpCostSync(ipId: string, o: { reason: string; dedupe?: boolean }) {
    return this.#add(JOB_NAMES.ipSync, { ipId, reason: o.reason }, o.dedupe === false ? {} : { deduplication: { id: `ip-${ipId}`, keepLastIfActive: true } });
  }

  /** After Finance changed the IP constant: reprices every IP without an override. */
  enqueueIpConstantChanged(o: { reason: string }) {
    return this.#add(JOB_NAMES.ipRepriceAll, { reason: o.reason }, { deduplication: { id: "ip-reprice-all", keepLastIfActive: true } });
  }

  enqueueReconciliation(o: { trigger: "manual" | "schedule" } = { trigger: "manual" }) {
    return this.#add(JOB_NAMES.reconcile, o, { attempts: 10, deduplication: { id: "reconcile-manual" } });
  }

  /** Recomputes the tenant attribution behind the views, at most once per `delayMs` burst. */
  enqueueAttributionRefresh(o: { reason: string; delayMs?: number }) {
    return this.#add(JOB_NAMES.refreshAttribution, { reason: o.reason }, { delay: o.delayMs ?? 0, deduplication: { id: "attribution-refresh", keepLastIfActive: true } });
  }

  close() {
    return this.queue.close();
  }
}

/**
 * A producer with its own Redis connection that fails fast when Redis is down
 * (no offline queue): a caller learns at once that nothing was enqueued.
 */
export async function createProducer(o: { redisUrl: string; prefix: string; timeoutMs?: number }): Promise<{ producer: CostSyncProducer; close(): Promise<void> }> {
  const connection = new Redis(o.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: o.timeoutMs ?? 3000, retryStrategy: () => null });
  let lastError: Error | undefined;
  connection.on("error", (e) => (lastError = e));
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once("ready", () => resolve());
      connection.once("end", () => reject(new Error(`Redis unreachable at ${redact(o.redisUrl)}${lastError ? ` (${lastError.message})` : ""}`)));
    });
  } catch (e) {
    connection.disconnect();
    throw e;
  }
  const queue = new Queue(QUEUE_NAME, { connection, prefix: o.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  queue.on("error", () => {});
  const producer = new CostSyncProducer(queue);
  return {
    producer,
    async close() {
      await queue.close();
      connection.disconnect();
    },
  };
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
