import { parseArgs } from "node:util";
import { parseUsdCents } from "../money.js";
import type { ResourceRef, VpsRef } from "../services/resources.js";
import type { FlagSpec } from "./spec.js";
import { didYouMean } from "./suggest.js";
import { UsageError } from "./usage-error.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The values `parse()` returns for a set of flags: booleans and strings, absent when not given. */
export type FlagValues<T extends Record<string, FlagSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string;
};

/**
 * Flags and positionals of one command. An unknown flag, a missing or unexpected value is a
 * UsageError (exit 2), with the closest known flag suggested.
 */
export function parse<T extends Record<string, FlagSpec>>(
  args: string[],
  flags: T,
): { values: FlagValues<T>; positionals: string[] } {
  // "-5" where an amount goes reads as an unknown flag to parseArgs: say what it is. The value of a
  // string flag (`--reason -5%`) is not an amount; parseArgs asks for `--reason=-5%` there.
  const takesValue = (a: string | undefined) => a?.startsWith("--") && flags[a.slice(2)]?.type === "string";
  const negative = args.find((a, i) => /^-\d/.test(a) && !takesValue(args[i - 1]));
  if (negative) throw new UsageError(`amounts must not be negative, got ${negative}`);
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, f.short ? { type: f.type, short: f.short } : { type: f.type }]),
  );
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as FlagValues<T>, positionals };
  } catch (e) {
    throw new UsageError(flagProblem(e, Object.keys(flags)));
  }
}

/** parseArgs' complaint in one short sentence, with a suggestion for an unknown flag. */
function flagProblem(e: unknown, names: string[]): string {
  const message = e instanceof Error ? e.message : String(e);
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const candidates = [...names.map((n) => `--${n}`), "--help"];
    return `unknown flag ${unknown}${didYouMean(unknown, candidates)}`;
  }
  const missing = /^Option '(--[\w-]+)[^']*' argument missing/.exec(message)?.[1];
  if (missing !== undefined) return `flag ${missing} needs a value`;
  const dash = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message)?.[1];
  if (dash !== undefined) return `a value of ${dash} that starts with "-" must be given as ${dash}=<value>`;
  const noValue = /^Option '(--[\w-]+)' does not take an argument/.exec(message)?.[1];
  if (noValue !== undefined) return `flag ${noValue} takes no value`;
  return message;
}

/** Throws when any positional argument is left over. */
export function noArgs(args: readonly string[]): void {
  if (args.length) throw new UsageError(`unexpected argument: ${args[0] ?? ""}`);
}

/** One of a fixed set of words (a subcommand, a key), with a suggestion when it is close to one. */
export function oneOf<T extends string>(value: string | undefined, choices: readonly T[], what: string): T {
  if (value !== undefined && (choices as readonly string[]).includes(value)) return value as T;
  const list = choices.join("|");
  if (value === undefined) throw new UsageError(`missing ${what}: ${list}`);
  throw new UsageError(`unknown ${what} ${JSON.stringify(value)}${didYouMean(value, choices)}; expected ${list}`);
}

export function uuidArg(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what} id`);
  if (!UUID.test(value)) throw new UsageError(`${what} id must be a uuid, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

const SERVICEID = /^\d{1,19}$/;

/** A VPS id as people type it: its uuid, or its Hostwinds serviceid (digits). */
export function vpsRefArg(value: string | undefined): VpsRef {
  if (value !== undefined && SERVICEID.test(value)) return { serviceid: value };
  if (value !== undefined && !/^[0-9a-f-]{36}$/i.test(value))
    throw new UsageError(`VPS id must be a uuid or a Hostwinds serviceid (digits), got ${JSON.stringify(value)}`);
  return { id: uuidArg(value, "VPS") };
}

/** A VPS id (uuid or serviceid) or an IP id (uuid), as `kind` says. */
export function resourceArg(kind: "vps" | "ip", value: string | undefined): ResourceRef {
  return kind === "vps" ? { kind, ref: vpsRefArg(value) } : { kind, ref: { id: uuidArg(value, "IP") } };
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
  return oneOf(value, ["vps", "ip"] as const, "resource kind");
}

/** What a reason may hold: what the jobs' payloads accept (1 to 300 characters, not blank). */
export const MAX_REASON = 300;

/** A reason given with `--reason`: 1 to 300 characters, not only spaces; undefined when not given. */
export function reasonArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new UsageError("--reason must not be blank");
  if (trimmed.length > MAX_REASON)
    throw new UsageError(`--reason must be at most ${MAX_REASON} characters, got ${trimmed.length}`);
  return trimmed;
}

/** A whole number within [min, max] given with a flag; `fallback` when the flag is absent. */
export function intArg(value: string | undefined, o: { flag: string; min: number; max: number; fallback: number }) {
  if (value === undefined) return o.fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < o.min || n > o.max)
    throw new UsageError(`${o.flag} must be a whole number from ${o.min} to ${o.max}, got ${JSON.stringify(value)}`);
  return n;
}

/** `--date-order mdy|dmy`: how an invoice file writes slash dates, when its dates do not show it. */
export function dateOrderArg(value: string | undefined): "mdy" | "dmy" | undefined {
  return value === undefined ? undefined : oneOf(value, ["mdy", "dmy"] as const, "--date-order");
}
