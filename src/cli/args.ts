import { parseArgs } from "node:util";
import { parseUsdCents } from "../money.js";
import { MONTH_PATTERN } from "../months.js";
import type { AnomalyTransition } from "../services/anomalies/anomaly-states.js";
import type { ResourceRef, VpsRef } from "../services/resources.js";
import type { FlagSpec } from "./spec.js";
import { didYouMean } from "./suggest.js";
import { UsageError } from "./usage-error.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The values `parse()` returns for a set of flags: booleans and strings, absent when not given. */
export type FlagValues<T extends Record<string, FlagSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string;
};

/** Which (sub)command parses (`report trend`), and why a flag it does not take belongs to another one. */
export interface ParseContext {
  command: string;
  elsewhere?: (flag: string) => string | undefined;
}

/**
 * Flags and positionals of one command. An unknown flag, a missing or unexpected value is a
 * UsageError (exit 2), with the closest known flag suggested.
 */
export function parse<T extends Record<string, FlagSpec>>(
  args: string[],
  flags: T,
  context?: ParseContext,
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
    throw new UsageError(flagProblem(e, Object.keys(flags), context));
  }
}

/** parseArgs' complaint in one short sentence, with a suggestion for an unknown flag. */
function flagProblem(e: unknown, names: string[], context?: ParseContext): string {
  const message = e instanceof Error ? e.message : String(e);
  const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
  if (unknown !== undefined) {
    const other = unknown.startsWith("--") ? context?.elsewhere?.(unknown.slice(2)) : undefined;
    if (other !== undefined) return other;
    const candidates = [...names.map((n) => `--${n}`), "--help"];
    const where = context ? ` for ${context.command}` : "";
    return `unknown flag ${unknown}${where}${didYouMean(unknown, candidates)}`;
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
const MAX_REASON = 300;

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

const DURATION_UNITS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A `--since` period: a whole number of hours, days or weeks (`36h`, `7d`, `2w`), up to a year; in ms. */
export function durationArg(value: string, flag: string): number {
  const m = /^([1-9]\d{0,3})([hdw])$/.exec(value);
  const ms = m ? Number(m[1]) * DURATION_UNITS[m[2] as keyof typeof DURATION_UNITS] : NaN;
  if (!(ms <= 366 * DURATION_UNITS.d))
    throw new UsageError(`${flag} takes a period like 36h, 7d or 2w (at most a year), got ${JSON.stringify(value)}`);
  return ms;
}

/** A calendar date, YYYY-MM-DD, that exists. */
export function dateArg(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new UsageError(`${flag} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

/** --before: a UTC date (its midnight) or an ISO instant with its offset. */
export function instantArg(value: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${dateArg(value, "--before")}T00:00:00Z`);
  const d = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? new Date(value)
    : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw new UsageError(`--before must be YYYY-MM-DD or an ISO instant with its offset, got ${JSON.stringify(value)}`);
  return d;
}

/**
 * A month as YYYY-MM, of year `minYear` or later, checked before anything is opened; `refusal` says
 * what was wanted in the command's own words (the value given is appended).
 */
export function monthArg(value: string, o: { minYear: number; refusal: string }): string {
  if (!MONTH_PATTERN.test(value) || Number(value.slice(0, 4)) < o.minYear)
    throw new UsageError(`${o.refusal}, got ${JSON.stringify(value)}`);
  return value;
}

/** A Hostwinds serviceid: digits, not zero. */
export function serviceIdArg(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) === 0)
    throw new UsageError(
      `--serviceid must be a Hostwinds serviceid (a positive whole number), got ${JSON.stringify(value)}`,
    );
  return Number(value);
}

/** A positional argument that must be given and not blank. */
export function requiredArg(v: string | undefined, what: string): string {
  if (v === undefined || v.trim() === "") throw new UsageError(`missing ${what}`);
  return v;
}

/** `--note` of an anomaly transition: none for reopen, else 1 to 500 characters saying why. */
export function noteArg(t: AnomalyTransition, note: string | undefined): string | null {
  if (t === "reopen") {
    if (note !== undefined)
      throw new UsageError("reopen takes no --note (the acknowledgement and its note are cleared)");
    return null;
  }
  const text = note?.trim();
  if (!text) throw new UsageError(`${t} needs --note TEXT: say why, for whoever reads the anomaly next`);
  if (text.length > 500) throw new UsageError(`--note is ${String(text.length)} characters; at most 500`);
  return text;
}
