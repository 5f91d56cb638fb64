import type { Queue } from "bullmq";
import { Redis } from "ioredis";

/**
 * The id of the queue's newest event right now ("0-0" when it has none).
 *
 * Why: a QueueEvents started without `lastEventId` reads from "$", which Redis
 * takes when its reader first blocks — after `waitUntilReady()` resolves. A job
 * that finishes in that gap, after `waitUntilFinished` has checked it was not
 * finished yet, is never reported, and the wait never ends (seen: `cost-sync
 * sync vps <id> --wait` hanging under load). Read this before enqueueing and
 * start the QueueEvents from it (`lastEventId`): every later event is then
 * delivered, and a job that finished before the listener was attached is
 * caught by `waitUntilFinished`'s own is-it-finished check.
 *
 * Needs the queue to run on an ioredis connection of ours (createProducer's):
 * BullMQ's own client interface has no XREVRANGE.
 */
export async function lastEventId(queue: Queue): Promise<string> {
  const redis = queue.opts.connection;
  if (!(redis instanceof Redis)) throw new Error("lastEventId needs a queue built on an ioredis connection");
  const eventsKey = queue.getBackend().keys.events;
  if (eventsKey === undefined) throw new Error(`queue ${queue.name} has no events stream key`);
  const [newest] = await redis.xrevrange(eventsKey, "+", "-", "COUNT", 1);
  return newest?.[0] ?? "0-0";
}
