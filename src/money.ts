/**
 * Exact money. Amounts are integer cents in a bigint; prices read from
 * Hostwinds are exact decimals (`Dec`); nothing ever passes through a float.
 * Rounding happens once, half-up to the cent, in `toCentsHalfUp`.
 */

/** An exact non-negative decimal: value = units / 10^scale. */
export interface Dec {
  units: bigint;
  scale: number;
}

const DECIMAL = /^\s*(\d+)(?:\.(\d+))?\s*$/;

/** Parses a non-negative decimal string exactly; undefined when it is not one. */
export function parseDec(input: unknown): Dec | undefined {
  if (typeof input !== "string" && typeof input !== "number") return undefined;
  const s = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input;
  const m = DECIMAL.exec(s);
  const [, whole, frac = ""] = m ?? [];
  if (whole === undefined) return undefined;
  if (frac.length > 12) return undefined;
  return { units: BigInt(whole + frac), scale: frac.length };
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
  const [, dollars, cents = ""] = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(input) ?? [];
  if (dollars === undefined) return undefined;
  return BigInt(dollars) * 100n + BigInt(cents.padEnd(2, "0"));
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
  const [, minus, dollars, fraction = ""] = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s) ?? [];
  if (dollars === undefined) throw new Error(`not a cent amount: ${s}`);
  const cents = BigInt(dollars) * 100n + BigInt(fraction.padEnd(2, "0"));
  return minus ? -cents : cents;
}
