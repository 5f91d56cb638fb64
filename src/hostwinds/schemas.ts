import { z } from "zod";
import { parseDecimal } from "../money.js";

/**
 * Response shapes as documented (docs/hostwinds-contract.md), parsed
 * defensively: single answers keep unknown fields (loose), the lists a
 * reconciliation reads 100k times keep only what pricing reads, documented variants accepted
 * (keyed object or array, with or without `success`), and prices must be
 * strings — a JSON number would already have been through a float.
 */

export const BILLING_CYCLES = [
  "monthly",
  "quarterly",
  "semiannually",
  "annually",
  "biennially",
  "triennially",
] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export const MONTHS_PER_CYCLE: Record<BillingCycle, bigint> = {
  monthly: 1n,
  quarterly: 3n,
  semiannually: 6n,
  annually: 12n,
  biennially: 24n,
  triennially: 36n,
};

/**
 * A price as Hostwinds sends it: a string; blank or "-1.00" mean "not offered" (judged by pricing).
 * A JSON number has been through a binary float: it is accepted only when its decimal form has at
 * most two decimals and reads back as the same number, so that the string kept is the price sent.
 */
const priceString = z
  .union([z.string(), z.number()], { error: "is not a price (a string or a number)" })
  .transform((v, ctx) => {
    if (typeof v === "string") return v;
    const text = String(v);
    if (parseDecimal(text, { signed: true, maxScale: 2 }) && Number(text) === v) return text;
    ctx.addIssue({ code: "custom", message: "is a JSON number that is not an exact amount with at most 2 decimals" });
    return z.NEVER;
  })
  .optional();
const cyclePrices = Object.fromEntries(BILLING_CYCLES.map((c) => [c, priceString])) as Record<
  BillingCycle,
  typeof priceString
>;

const intFlag = z
  .union([z.number().int(), z.string().regex(/^-?\d+$/), z.boolean()])
  .transform((v) => Number(v) === 1 || v === true);
const idLike = z.union([z.string().min(1), z.number().int()]).transform(String);

/** One option of a custom plan's component (ram, cpu, disk, bandwidth): what pricing reads of it. */
const componentOptionSchema = z.object({
  id: idLike.optional(),
  value: z.union([z.string(), z.number()]).transform(String).optional(),
  current: intFlag.optional(),
  ...cyclePrices,
});
export type ComponentOption = z.infer<typeof componentOptionSchema>;

const componentSchema = z.object({
  options: z
    .union([z.array(componentOptionSchema), z.record(z.string(), componentOptionSchema)])
    .transform((o) => (Array.isArray(o) ? o : Object.values(o))),
});

/**
 * One plan of get_price_list: only what pricing reads (plan id, specs, the
 * `current` flag, recurring cycle prices, custom components). Promo, names
 * and totals are dropped unread: a reconciliation parses 100k of these lists,
 * and validating the rest was a third of the parse (the benchmark's section 1 times it).
 */
export const priceOptionSchema = z.object({
  rid: idLike,
  ram: z.union([z.string(), z.number()]).transform(String).optional(),
  cpu: z.union([z.string(), z.number()]).transform(String).optional(),
  disk: z.union([z.string(), z.number()]).transform(String).optional(),
  current: intFlag.optional(),
  pricing: z.record(z.string(), componentSchema).optional(),
  ...cyclePrices,
});
export type PriceOption = z.infer<typeof priceOptionSchema>;

/** `get_price_list`: an object keyed by resource id (documented) or, defensively, an array. */
export const priceListSchema = z
  .union([z.array(priceOptionSchema), z.record(z.string(), priceOptionSchema)])
  .transform((v) => (Array.isArray(v) ? v : Object.values(v)));

/**
 * Cycles an instance can be on: the recurring ones, hourly, and WHMCS's two without a recurring
 * price, "One Time" (paid once: no monthly cost to model) and "Free Account" (billed nothing).
 */
const INSTANCE_CYCLES = ["hourly", ...BILLING_CYCLES, "onetime", "freeaccount"] as const;
export type InstanceCycle = (typeof INSTANCE_CYCLES)[number];

/**
 * A cycle as WHMCS and the tools around it spell it ("Semi-Annually", "semi annually",
 * "SEMIANNUALLY", "One Time", "Free Account"): lower case, without hyphens, spaces or underscores.
 */
function normaliseCycle(spelling: string): string {
  return spelling.toLowerCase().replace(/[\s_-]+/g, "");
}

/** Messages written to follow the value (see issues.ts): `billingcycle "Weekly" is not a Hostwinds cycle`. */
export const instanceSchema = z.looseObject({
  serviceid: z.union(
    [
      z.number().int().positive(),
      z
        .string()
        .regex(/^0*[1-9]\d*$/)
        .transform(Number),
    ],
    {
      error: "is not a positive whole number",
    },
  ),
  billingcycle: z
    .string({ error: "is not a Hostwinds cycle" })
    .transform(normaliseCycle)
    .pipe(z.enum(INSTANCE_CYCLES, { error: "is not a Hostwinds cycle" })),
  hourly: intFlag.optional(),
  product_id: idLike.optional(),
  product_name: z.string().optional(),
  ram: z.union([z.string(), z.number()]).transform(String).optional(),
  cpu: z.union([z.string(), z.number()]).transform(String).optional(),
  disk: z.union([z.string(), z.number()]).transform(String).optional(),
  bandwidth: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.string().optional(),
  main_ip: z.string().optional(),
});
export type Instance = z.infer<typeof instanceSchema>;

/** A field only shown to an operator: a value of another type is dropped, never a reason to reject the instance. */
const shownText = z.unknown().transform((v) => (typeof v === "string" && v !== "" ? v.slice(0, 255) : undefined));

/**
 * get_instances feeds a reconciliation of the whole fleet (100k instances): keep only the fields
 * pricing reads (the cycle, and what determines the plan: product and specs), so the parsed list
 * stays small in memory, and what tells an untracked instance apart (docs/untracked.md): its
 * status, hostname and main IP, read leniently.
 */
export const listedInstanceSchema = z.object({
  ...instanceSchema.pick({
    serviceid: true,
    billingcycle: true,
    hourly: true,
    product_id: true,
    ram: true,
    cpu: true,
    disk: true,
    bandwidth: true,
  }).shape,
  product_name: shownText.optional(),
  status: shownText.optional(),
  hostname: shownText.optional(),
  main_ip: shownText.optional(),
});
export type ListedInstance = z.infer<typeof listedInstanceSchema>;

export const upgradeOrderSchema = z.looseObject({
  id: idLike.optional(),
  orderid: idLike.optional(),
  invoiceid: idLike.optional(),
  duedate: z.string().optional(),
  total: z.string(),
});
export type UpgradeOrder = z.infer<typeof upgradeOrderSchema>;

/**
 * `get_billingcycle_prices` is documented only as "an object mapping billing cycles to prices and
 * due dates", and as answering `{}`. We read `{cycle: "9.99"}` and `{cycle: {price|amount|recurring:
 * "9.99", duedate?}}`, cycles in any WHMCS spelling ("Semi-Annually"). The result tells apart:
 * - `none`: `{}` (or an empty list), "no per-instance cycle prices": nothing to refine, nothing wrong;
 * - `prices`: at least one cycle's price read;
 * - `unknown`: keys present but no cycle price read from them: a shape we do not know, for the caller
 *   to fall back from (never an error, never a guess).
 */
export type BillingCyclePrices =
  | { kind: "none" }
  | { kind: "prices"; prices: Partial<Record<BillingCycle, string>> }
  | { kind: "unknown"; keys: string[] };

const cycleEntry = z.union([
  z.string(),
  z.looseObject({
    price: z.string().optional(),
    amount: z.string().optional(),
    recurring: z.string().optional(),
    duedate: z.string().optional(),
  }),
]);
const isCycle = (k: string): k is BillingCycle => (BILLING_CYCLES as readonly string[]).includes(k);

export const billingCyclePricesSchema = z
  .union([z.record(z.string(), z.unknown()), z.array(z.unknown()).length(0)])
  .transform((raw): BillingCyclePrices => {
    const entries = Array.isArray(raw) ? [] : Object.entries(raw);
    if (entries.length === 0) return { kind: "none" };
    const prices: Partial<Record<BillingCycle, string>> = {};
    for (const [key, value] of entries) {
      const cycle = normaliseCycle(key);
      const parsed = cycleEntry.safeParse(value);
      if (!isCycle(cycle) || !parsed.success) continue;
      const v = parsed.data;
      const price = typeof v === "string" ? v : (v.recurring ?? v.price ?? v.amount);
      if (price !== undefined) prices[cycle] = price;
    }
    if (Object.keys(prices).length === 0) return { kind: "unknown", keys: entries.map(([k]) => k).slice(0, 10) };
    return { kind: "prices", prices };
  });
