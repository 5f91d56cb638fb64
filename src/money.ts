/**
 * Exact money and the one decimal reader. Amounts are integer cents in a bigint; prices read from
 * Hostwinds are exact decimals (`Dec`); nothing ever passes through a float.
 * Rounding happens once, half-up to the cent, in `toCentsHalfUp`.
 */

/** An exact decimal: value = units / 10^scale (units is negative only where a sign was allowed). */
export interface Dec {
  units: bigint;
  scale: number;
}

/** What a reader of decimal text accepts beyond plain digits with an optional fraction. */
export interface DecimalForm {
  /** A leading "-" is allowed. */
  signed?: boolean;
  /** Whitespace around the number is ignored. */
  trim?: boolean;
  /** At most this many digits before the point. */
  maxWhole?: number;
  /** At most this many digits after the point (a point needs at least one). */
  maxScale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The one decimal parser (money, config, the executive page's figures): plain decimal text, never
 * "1e3", "NaN", "", "5." or a thousands separator. Undefined when the text is not of the form asked.
 */
export function parseDecimal(text: string, form: DecimalForm): Dec | undefined {
  const m = DECIMAL.exec(form.trim ? text.trim() : text);
  if (!m) return undefined;
  const [, minus = "", whole = "", frac = ""] = m;
  if ((minus && !form.signed) || frac.length > form.maxScale) return undefined;
  if (form.maxWhole !== undefined && whole.length > form.maxWhole) return undefined;
  const units = BigInt(whole + frac);
  return { units: minus ? -units : units, scale: frac.length };
}

/** The value in whole cents, exact: undefined when it has more than two decimals. */
function exactCents(d: Dec): bigint | undefined {
  return d.scale > 2 ? undefined : d.units * 10n ** BigInt(2 - d.scale);
}

/** Parses a non-negative decimal string exactly (at most 12 decimals); undefined when it is not one. */
export function parseDec(input: unknown): Dec | undefined {
  if (typeof input !== "string" && typeof input !== "number") return undefined;
  const s = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input;
  return parseDecimal(s, { trim: true, maxScale: 12 });
}

/** A cycle price is usable only as a positive decimal string; "", "0.00", "-1.00", "abc" mean "not offered". */
export function offeredPrice(value: string | undefined): Dec | undefined {
  const d = parseDec(value);
  return d && isPositive(d) ? d : undefined;
}

export function addDec(a: Dec, b: Dec): Dec {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale };
}

export function isPositive(d: Dec): boolean {
  return d.units > 0n;
}

/** value / divisor, rounded half-up to whole cents: the only rounding step. */
export function toCentsHalfUp(d: Dec, divisor = 1n): bigint {
  const denominator = 10n ** BigInt(d.scale) * divisor;
  const numerator = d.units * 100n;
  return (2n * numerator + denominator) / (2n * denominator);
}

/** Parses a USD amount given by a person (CLI, config): at most two decimals, else undefined. */
export function parseUsdCents(input: string): bigint | undefined {
  const d = parseDecimal(input, { trim: true, maxWhole: 9, maxScale: 2 });
  return d && exactCents(d);
}

/** 999 -> "9.99"; the form PostgreSQL's numeric accepts and prints. */
export function formatCents(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}

/** Reads a numeric column value (Prisma Decimal, string or null) as cents. */
export function centsOf(value: { toString(): string } | string | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const s = value.toString();
  const d = parseDecimal(s, { signed: true, maxScale: 2 });
  const cents = d && exactCents(d);
  if (cents === undefined) throw new Error(`not a cent amount: ${s}`);
  return cents;
}
