import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { QueueEvents, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { QUEUE_NAME } from "../src/jobs/definitions.js";
import { createProducer, type CostSyncProducer } from "../src/jobs/producer.js";
import { lastEventId } from "../src/jobs/queue-events.js";

// Only Redis: a queue prefix of this file's own, and a worker that completes any job at once.
const connection = { host: "127.0.0.1", port: 6379 };
const prefix = `cs-qe-${randomBytes(4).toString("hex")}`;
let producer: CostSyncProducer;
let closeProducer: () => Promise<void>;
let worker: Worker | undefined;

beforeAll(async () => {
  const session = await createProducer({ redisUrl: "redis://127.0.0.1:6379", prefix });
  producer = session.producer;
  closeProducer = () => session.close();
});
afterAll(async () => {
  await worker?.close();
  await producer.queue.obliterate({ force: true });
  await closeProducer();
});

describe("waiting on a job's events (what `--wait` does)", () => {
  it("reads 0-0 from a queue that has no events yet", async () => {
    expect(await lastEventId(producer.queue)).toBe("0-0");
  });

  it("hears of a job that finished before the listener was up, when it starts from the id read before enqueueing", async () => {
    worker = new Worker(QUEUE_NAME, () => Promise.resolve({ repriced: 3 }), { connection, prefix });
    const since = await lastEventId(producer.queue);
    const job = await producer.enqueueIpConstantChanged({ reason: "test" });
    await vi.waitFor(async () => expect(await job.getState()).toBe("completed"), { timeout: 10_000, interval: 20 });

    const late = new QueueEvents(QUEUE_NAME, { connection, prefix, lastEventId: since }); // what `--wait` builds
    const fromDollar = new QueueEvents(QUEUE_NAME, { connection, prefix }); // BullMQ's default start: "$"
    const heard = new Promise((resolve) =>
      late.on("completed", ({ jobId, returnvalue }) => jobId === job.id && resolve(returnvalue)),
    );
    let dollarHeard = false;
    fromDollar.on("completed", ({ jobId }) => (dollarHeard ||= jobId === job.id));
    try {
      expect(await heard).toEqual({ repriced: 3 });
      await fromDollar.waitUntilReady();
      await sleep(200);
      expect(dollarHeard).toBe(false); // the gap `--wait` used to fall into
    } finally {
      await late.close();
      await fromDollar.close();
    }
  });
});
