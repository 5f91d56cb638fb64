import { parseArgs } from "node:util";
import { parseUsdCents } from "../money.js";
import { UsageError } from "./usage-error.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Flags and positionals of one command; an unknown flag is a UsageError. */
export function parse<T extends Record<string, { type: "boolean" | "string" }>>(args: string[], options: T) {
  const negative = args.find((a) => /^-\d/.test(a));
  if (negative) throw new UsageError(`amounts must not be negative, got ${negative}`);
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function uuidArg(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what} id`);
  if (!UUID.test(value)) throw new UsageError(`${what} id must be a uuid, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** A USD amount: non-negative, at most two decimals. */
export function usdArg(value: string | undefined, what: string): bigint {
  if (value === undefined) throw new UsageError(`missing ${what} (USD, e.g. 4.99)`);
  if (/^\s*-/.test(value)) throw new UsageError(`${what} must not be negative, got ${value}`);
  const cents = parseUsdCents(value);
  if (cents === undefined)
    throw new UsageError(
      `${what} must be a USD amount with at most two decimals (e.g. 4.99), got ${JSON.stringify(value)}`,
    );
  return cents;
}

export function kindArg(value: string | undefined): "vps" | "ip" {
  if (value === "vps" || value === "ip") return value;
  throw new UsageError(`expected "vps" or "ip", got ${JSON.stringify(value ?? "")}`);
}
