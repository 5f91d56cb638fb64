import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { priceListSchema, type PriceOption } from "./schemas.js";

/** The price catalogue (`get_price_list` without a serviceid) as every worker shares it. */
export interface Catalogue {
  /** Bumped on every fetch: tells which copy a figure or a mapping came from. */
  version: number;
  fetchedAt: number;
  options: PriceOption[];
}

/** Where jobs read the catalogue from (Redis in the worker, memory in unit specs). */
export interface CatalogueSource {
  /** The shared copy while it is fresh; else one worker fetches it with `fetch` while the others wait. */
  get(fetch: () => Promise<PriceOption[]>): Promise<Catalogue>;
  /** A fresh copy, fetched now and shared (a reconciliation starts from one). */
  refresh(fetch: () => Promise<PriceOption[]>): Promise<Catalogue>;
}

const LOCK_MS = 30_000;
const POLL_MS = 100;

/**
 * The catalogue cached in Redis under the queue prefix, shared by every worker, for
 * `ttlSeconds`. When it has expired, one worker takes a short lock and fetches it; the others wait
 * for that copy instead of fetching their own, so the budget pays for one copy at a time.
 */
export class RedisCatalogue implements CatalogueSource {
  readonly #keys: { copy: string; version: string; lock: string };

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly ttlSeconds: number,
  ) {
    this.#keys = {
      copy: `${prefix}:hostwinds:catalogue`,
      version: `${prefix}:hostwinds:catalogue:version`,
      lock: `${prefix}:hostwinds:catalogue:lock`,
    };
  }

  async get(fetch: () => Promise<PriceOption[]>): Promise<Catalogue> {
    const deadline = Date.now() + LOCK_MS;
    for (;;) {
      const cached = await this.#read();
      if (cached) return cached;
      if (await this.#lock()) return this.#fetchAndStore(fetch);
      // Another worker is fetching it: wait for its copy (or for its lock to lapse).
      if (Date.now() > deadline) return this.#fetchAndStore(fetch);
      await sleep(POLL_MS);
    }
  }

  async refresh(fetch: () => Promise<PriceOption[]>): Promise<Catalogue> {
    return this.#fetchAndStore(fetch);
  }

  async #read(): Promise<Catalogue | undefined> {
    const json = await this.redis.get(this.#keys.copy);
    if (json === null) return undefined;
    const raw = JSON.parse(json) as { version: number; fetchedAt: number; options: unknown };
    // Checked on the way out too: Redis is shared, and a copy from an older release may linger.
    return { version: raw.version, fetchedAt: raw.fetchedAt, options: priceListSchema.parse(raw.options) };
  }

  async #lock(): Promise<boolean> {
    return (await this.redis.set(this.#keys.lock, "1", "PX", LOCK_MS, "NX")) === "OK";
  }

  async #fetchAndStore(fetch: () => Promise<PriceOption[]>): Promise<Catalogue> {
    try {
      const options = await fetch();
      const version = await this.redis.incr(this.#keys.version);
      const copy: Catalogue = { version, fetchedAt: Date.now(), options };
      await this.redis.set(this.#keys.copy, JSON.stringify(copy), "EX", this.ttlSeconds);
      return copy;
    } finally {
      await this.redis.del(this.#keys.lock);
    }
  }
}
