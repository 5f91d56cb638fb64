import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";

/** What the client asks before each request, and tells after a 429. */
export interface RateGate {
  acquire(): Promise<void>;
  pause(ms: number): Promise<void>;
}

/**
 * Who is asking: an event sync (someone is waiting for a new VPS's cost) goes before bulk work (a
 * reconciliation's thousands of calls), which takes only the slots no event is waiting for.
 */
export type Lane = "event" | "bulk";

// One call: [granted (1/0), ms left in a 429 pause or 0, yielded to a waiting event (1/0)].
// A bulk request does not even count itself while an event waits, so the event gets the next slot.
const SCRIPT = `
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {0, paused, 0} end
if ARGV[2] == 'bulk' and tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then return {0, 0, 1} end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
if n <= tonumber(ARGV[1]) then return {1, 0, 0} end
return {0, 0, 0}`;

// Takes back one waiting mark, never below zero (the mark may have expired meanwhile).
const UNMARK = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** How long a waiting event's mark lasts unless renewed (a worker that dies does not hold bulk back for long). */
const WAITING_MARK_MS = 3000;

/**
 * One Hostwinds request budget shared by every worker process, kept in Redis: at most `perSecond`
 * requests start in any one-second window, a 429 pauses everyone for its Retry-After, and event
 * syncs go before bulk work. (BullMQ's own limiter counts jobs, and a reconciliation job makes
 * thousands of requests, so it cannot be the unit.)
 */
export class RedisRateGate implements RateGate {
  readonly #keys: { paused: string; waiting: string };

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly perSecond: number,
    private readonly lane: Lane = "event",
  ) {
    this.#keys = { paused: `${keyPrefix}:hostwinds:paused`, waiting: `${keyPrefix}:hostwinds:events-waiting` };
  }

  /** The same budget, asked for from another lane. */
  forLane(lane: Lane): RedisRateGate {
    return new RedisRateGate(this.redis, this.keyPrefix, this.perSecond, lane);
  }

  async acquire(): Promise<void> {
    let waiting = false;
    try {
      for (;;) {
        const now = Date.now();
        const [granted, pausedMs, yielded] = (await this.redis.eval(
          SCRIPT,
          3,
          `${this.keyPrefix}:hostwinds:rate:${Math.floor(now / 1000)}`,
          this.#keys.paused,
          this.#keys.waiting,
          this.perSecond,
          this.lane,
        )) as [number, number, number];
        if (granted === 1) return;
        if (this.lane === "event") waiting = await this.#markWaiting(waiting);
        if (pausedMs > 0) await sleep(pausedMs);
        else if (yielded === 1) await sleep(50 + Math.floor(Math.random() * 20));
        else await sleep(1000 - (now % 1000) + Math.floor(Math.random() * 20));
      }
    } finally {
      if (waiting) await this.redis.eval(UNMARK, 1, this.#keys.waiting);
    }
  }

  /** Marks (once) and keeps alive the sign that an event waits, so bulk requests stand aside. */
  async #markWaiting(already: boolean): Promise<boolean> {
    if (!already) await this.redis.incr(this.#keys.waiting);
    await this.redis.pexpire(this.#keys.waiting, WAITING_MARK_MS);
    return true;
  }

  async pause(ms: number): Promise<void> {
    if (ms > 0) await this.redis.set(this.#keys.paused, "1", "PX", Math.ceil(ms));
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
