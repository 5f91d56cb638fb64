import { Redis } from "ioredis";
import { RECONCILE_SCHEDULER_ID, VIEWS_REFRESH_SCHEDULER_ID } from "../../src/jobs/definitions.js";
import type { Runtime } from "../../src/runtime.js";

/**
 * The demo lives in Redis under its own random prefix and leaves nothing behind there: its queue is
 * obliterated and its schedulers removed (before the runtime closes) and, once it has closed, every
 * other key under the prefix (the Hostwinds catalogue and plan-map caches) is deleted, found with
 * SCAN, never KEYS.
 */
export async function removeQueue(rt: Runtime): Promise<void> {
  await rt.queue.obliterate({ force: true }).catch(() => undefined);
  await rt.queue.removeJobScheduler(RECONCILE_SCHEDULER_ID).catch(() => undefined);
  await rt.queue.removeJobScheduler(VIEWS_REFRESH_SCHEDULER_ID).catch(() => undefined);
}

export async function removePrefix(cfg: Runtime["cfg"]): Promise<void> {
  const redis = new Redis(cfg.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${cfg.QUEUE_PREFIX}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
