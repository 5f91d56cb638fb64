import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";

/** What the client asks before each request, and tells after a 429. */
export interface RateGate {
  acquire(): Promise<void>;
  pause(ms: number): Promise<void>;
}

// INCR the current one-second window; first hit sets its expiry. Returns
// [count in window, ms left in a 429 pause or 0].
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
local paused = redis.call('PTTL', KEYS[2])
if paused < 0 then paused = 0 end
return {n, paused}`;

/**
 * One Hostwinds request budget shared by every worker process, kept in Redis:
 * at most `perSecond` requests start in any one-second window, and a 429
 * pauses everyone for its Retry-After. (BullMQ's own limiter counts jobs, and
 * a reconciliation job makes hundreds of requests, so it cannot be the unit.)
 */
export class RedisRateGate implements RateGate {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly perSecond: number,
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const window = Math.floor(now / 1000);
      const [count, pausedMs] = (await this.redis.eval(
        SCRIPT,
        2,
        `${this.keyPrefix}:hostwinds:rate:${window}`,
        `${this.keyPrefix}:hostwinds:paused`,
      )) as [number, number];
      if (pausedMs > 0) {
        await sleep(pausedMs);
        continue;
      }
      if (count <= this.perSecond) return;
      await sleep(1000 - (now % 1000) + Math.floor(Math.random() * 20));
    }
  }

  async pause(ms: number): Promise<void> {
    if (ms > 0) await this.redis.set(`${this.keyPrefix}:hostwinds:paused`, "1", "PX", Math.ceil(ms));
  }
}

/**
 * The budget of a one-shot command that has no Redis (`hostwinds check`): its own requests spaced
 * at most `perSecond` a second, and a 429 holds them for Retry-After. It makes a handful of
 * requests; running workers keep to their shared budget meanwhile.
 */
export class LocalRateGate implements RateGate {
  #next = 0;

  constructor(private readonly perSecond: number) {}

  async acquire(): Promise<void> {
    const now = Date.now();
    const wait = this.#next - now;
    this.#next = Math.max(now, this.#next) + 1000 / this.perSecond;
    if (wait > 0) await sleep(wait);
  }

  pause(ms: number): Promise<void> {
    this.#next = Math.max(this.#next, Date.now() + ms);
    return Promise.resolve();
  }
}
