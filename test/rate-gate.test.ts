import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RedisRateGate } from "../src/hostwinds/rate-gate.js";

const redis = new Redis("redis://127.0.0.1:6379");
const prefix = `cs-gate-${randomBytes(4).toString("hex")}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe("the shared request budget", () => {
  it("lets a waiting event sync go before bulk work: it gets the next free slot", async () => {
    const bulk = new RedisRateGate(redis, prefix, 2, "bulk");
    const event = bulk.forLane("event");
    const order: string[] = [];
    // A reconciliation queues twelve requests at once (six seconds of budget at 2 a second).
    const bulkDone = Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await bulk.acquire();
        order.push(`bulk-${String(i)}`);
      }),
    );
    while (order.length < 2) await new Promise((r) => setTimeout(r, 20));
    // The window is spent; an event arrives.
    await event.acquire();
    order.push("event");
    await bulkDone;
    // The next window's first slot is the event's: every bulk request waiting for it stood aside.
    expect(order.indexOf("event")).toBe(2);
    expect(order).toHaveLength(13);
  });
});
