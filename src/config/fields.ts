import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { maxCents } from "../cost-columns.js";
import { formatCents, parseDecimal, parseUsdCents } from "../money.js";

/**
 * The kinds of value the environment holds, each with its real bounds and a message that names
 * the bound crossed (`must be at most 3600000`), never the value (some variables are secrets).
 */

/** The largest delay Node's timers take; a larger one fires at once (and spins). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

/** A whole number within [min, max]. */
export const intIn = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .refine((n) => !Number.isNaN(n), "must be a number")
    .pipe(
      z.number().int("must be a whole number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
    );

/** A non-negative USD amount with at most two decimals, no larger than `maxCentsValue`, kept as its exact string. */
export const usdUpTo = (maxCentsValue: bigint, what: string) =>
  z
    .string()
    .trim()
    .refine(
      (s) => parseDecimal(s, { maxScale: 2 }) !== undefined,
      "must be a non-negative USD amount with at most two decimals, e.g. 4.99",
    )
    .refine(
      (s) => (parseUsdCents(s) ?? 0n) <= maxCentsValue,
      `must be at most ${formatCents(maxCentsValue)} (${what})`,
    );

/** An IP cost: what `smtp_ip_addresses.approximate_cost` holds. */
export const ipCostUsd = () => usdUpTo(maxCents("ip"), "what smtp_ip_addresses.approximate_cost holds");

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** An http(s) URL (never file:, ftp: or javascript:); whether plain http is allowed is decided with the whole config. */
export const httpUrl = () =>
  z
    .url({ error: "must be an http(s) URL" })
    .refine((value) => /^https?:$/.test(new URL(value).protocol), "must be an http(s) URL");

export const isLoopbackUrl = (value: string): boolean => LOOPBACK.test(new URL(value).hostname);

/** Plain http to a non-loopback host: the Hostwinds key (or analytics) would cross the network in clear. */
export const isPlainHttpAway = (value: string): boolean => new URL(value).protocol === "http:" && !isLoopbackUrl(value);

/** A cron expression of 5 or 6 fields that the scheduler (cron-parser, as BullMQ uses it) accepts. */
export const cron = () =>
  z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      const fields = s.split(/\s+/).length;
      if (fields !== 5 && fields !== 6) {
        ctx.addIssue({ code: "custom", message: "must be a cron expression of 5 or 6 fields" });
        return;
      }
      try {
        CronExpressionParser.parse(s, { tz: "UTC" });
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          message: `is not a valid cron expression (${err instanceof Error ? err.message : String(err)})`,
        });
      }
    });

/** A person's or service's name for the change log: printable, at most 200 characters. */
export const operatorName = () =>
  z
    .string()
    .trim()
    .min(1, "must not be blank")
    .max(200, "must be at most 200 characters")
    .regex(/^[^\p{Cc}]+$/u, "must not contain control characters");
