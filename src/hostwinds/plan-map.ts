import type { Redis } from "ioredis";
import { priceOptionSchema, type PriceOption } from "./schemas.js";

/** What one member's own price list told about its group: the current plan, and when that was learned. */
export interface LearnedPlan {
  /** The current option of the member's get_price_list(serviceid) (its rid; a custom plan's component choices). */
  option: PriceOption;
  learnedAt: number;
}

/** Where learned plans are kept (Redis in the worker, memory in unit specs). */
export interface PlanStore {
  get(groupKey: string): Promise<LearnedPlan | undefined>;
  set(groupKey: string, plan: LearnedPlan): Promise<void>;
}

/**
 * The learned plan of each group, in one Redis hash under the queue prefix: a reconciliation
 * learns every group's, and an event sync reads it to price a new instance from the catalogue
 * with no call beyond get_instance.
 */
export class RedisPlanMap implements PlanStore {
  readonly #key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.#key = `${prefix}:hostwinds:plan-map`;
  }

  async get(groupKey: string): Promise<LearnedPlan | undefined> {
    const json = await this.redis.hget(this.#key, groupKey);
    if (json === null) return undefined;
    const raw = JSON.parse(json) as { option: unknown; learnedAt: number };
    const option = priceOptionSchema.safeParse(raw.option);
    // A mapping an older release wrote in another shape is simply learned again.
    return option.success ? { option: option.data, learnedAt: raw.learnedAt } : undefined;
  }

  async set(groupKey: string, plan: LearnedPlan): Promise<void> {
    await this.redis.hset(this.#key, groupKey, JSON.stringify(plan));
  }
}
