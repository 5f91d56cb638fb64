import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../logger.js";
import { describeIssues } from "./issues.js";
import { priceBoundsProblem } from "./redis-bounds.js";
import { priceOptionSchema, type PriceOption } from "./schemas.js";

/**
 * What one member's own price list told about its group: the current plan with the prices it was
 * learned at (its cycle prices), and when. An event sync trusts it only while the shared
 * catalogue agrees with those prices (src/jobs/sync-pricing.ts).
 */
export interface LearnedPlan {
  /** The current option of the member's get_price_list(serviceid) (its rid, prices; a custom plan's choices). */
  option: PriceOption;
  learnedAt: number;
}

/**
 * A group a reconciliation priced one VPS at a time (a catalogue mismatch: account-specific
 * prices; or a plan it could not learn): event syncs price its members, and new rows in it, from
 * their own get_price_list(serviceid) until a reconciliation verifies the group again.
 */
export interface PerInstanceMark {
  perInstance: string;
  learnedAt: number;
}

export type PlanEntry = LearnedPlan | PerInstanceMark;

/** Where learned plans are kept (Redis in the worker, memory in unit specs). */
export interface PlanStore {
  get(groupKey: string): Promise<PlanEntry | undefined>;
  set(groupKey: string, entry: PlanEntry): Promise<void>;
}

const entrySchema = z.union([
  z.object({ option: priceOptionSchema, learnedAt: z.number().int().nonnegative() }),
  z.object({ perInstance: z.string().min(1).max(500), learnedAt: z.number().int().nonnegative() }),
]);

/**
 * The learned plan of each group, in one Redis hash under the queue prefix: a reconciliation
 * learns every group's, and an event sync reads it to price a new instance from the catalogue
 * with no call beyond get_instance. A field that is not JSON, has another shape, or holds a price
 * beyond the bounds is discarded (deleted: logged once) and learned again from the member's own
 * price list; hash fields have no TTL, so a bad one would otherwise stay forever.
 */
export class RedisPlanMap implements PlanStore {
  readonly #key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly o: { maxMonthlyCents: bigint; log?: Logger },
  ) {
    this.#key = `${prefix}:hostwinds:plan-map`;
  }

  async get(groupKey: string): Promise<PlanEntry | undefined> {
    const json = await this.redis.hget(this.#key, groupKey);
    if (json === null) return undefined;
    const read = this.#read(json);
    if (typeof read !== "string") return read;
    // Compared before deleting: a good entry another worker wrote meanwhile stays.
    const removed = await this.redis.eval(
      "if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('hdel', KEYS[1], ARGV[1]) end return 0",
      1,
      this.#key,
      groupKey,
      json,
    );
    if (removed === 1)
      this.o.log?.warn({ key: this.#key, groupKey, problem: read }, "plan-map entry discarded; learning it again");
    return undefined;
  }

  #read(json: string): PlanEntry | string {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      return "not JSON";
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) return `wrong shape: ${describeIssues(raw, parsed.error.issues)}`;
    const entry = parsed.data;
    return ("option" in entry ? priceBoundsProblem([entry.option], this.o.maxMonthlyCents) : undefined) ?? entry;
  }

  async set(groupKey: string, entry: PlanEntry): Promise<void> {
    await this.redis.hset(this.#key, groupKey, JSON.stringify(entry));
  }
}
