import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../logger.js";
import { describeIssues } from "./issues.js";
import { priceBoundsProblem } from "./redis-bounds.js";
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

const copySchema = z.object({
  version: z.number().int().nonnegative(),
  fetchedAt: z.number().int().nonnegative(),
  options: priceListSchema,
});

/**
 * The catalogue cached in Redis under the queue prefix, shared by every worker, for
 * `ttlSeconds`. When it has expired, one worker takes a short lock and fetches it; the others wait
 * for that copy instead of fetching their own, so the budget pays for one copy at a time.
 *
 * Redis is shared and can lie (docs/hostwinds-client.md, "Shared state that can lie"): a copy that
 * is not JSON, has another shape, or holds a price beyond the bounds is discarded (deleted, so it
 * is logged once) and fetched again; the job goes on.
 */
export class RedisCatalogue implements CatalogueSource {
  readonly #keys: { copy: string; version: string; lock: string };

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly o: { ttlSeconds: number; maxMonthlyCents: bigint; log?: Logger },
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
    const problem = this.#problemWith(json);
    if (typeof problem !== "string") return problem;
    // Compared before deleting: a good copy another worker wrote meanwhile stays.
    const removed = await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
      1,
      this.#keys.copy,
      json,
    );
    if (removed === 1)
      this.o.log?.warn({ key: this.#keys.copy, problem }, "shared catalogue copy discarded; fetching it again");
    return undefined;
  }

  /** The copy, or what is wrong with it. Checked on the way out: a copy from an older release may linger too. */
  #problemWith(json: string): Catalogue | string {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      return "not JSON";
    }
    const parsed = copySchema.safeParse(raw);
    if (!parsed.success) return `wrong shape: ${describeIssues(raw, parsed.error.issues)}`;
    return priceBoundsProblem(parsed.data.options, this.o.maxMonthlyCents) ?? parsed.data;
  }

  async #lock(): Promise<boolean> {
    return (await this.redis.set(this.#keys.lock, "1", "PX", LOCK_MS, "NX")) === "OK";
  }

  async #fetchAndStore(fetch: () => Promise<PriceOption[]>): Promise<Catalogue> {
    try {
      const options = await fetch();
      const version = await this.redis.incr(this.#keys.version);
      const copy: Catalogue = { version, fetchedAt: Date.now(), options };
      await this.redis.set(this.#keys.copy, JSON.stringify(copy), "EX", this.o.ttlSeconds);
      return copy;
    } finally {
      await this.redis.del(this.#keys.lock);
    }
  }
}
