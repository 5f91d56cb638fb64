/**
 * Decimal strings as the page receives them ("1234.50", "-12.30", "45.67"). They are
 * shown exactly as given; they are parsed only to order tenants (exactly, in bigint)
 * and to size chart geometry (as a float: a pixel does not need cent precision). The parsing is
 * money.ts's one decimal reader.
 */
import { parseDecimal, type Dec, type DecimalForm } from "../money.js";

// Up to 30 digits before the point and 12 after, signed, nothing around: what the read models print.
const PAGE_DECIMAL: DecimalForm = { signed: true, maxWhole: 30, maxScale: 12 };

function parse(value: string): Dec | undefined {
  return parseDecimal(value, PAGE_DECIMAL);
}

/**
 * Throws a TypeError naming `field` unless `value` is a plain decimal string. A figure that is
 * not one ("NaN", "1e3", "") is a bug upstream; the page refuses it rather than draw a guess.
 */
export function assertDecimal(value: unknown, field: string): void {
  if (typeof value !== "string" || parse(value) === undefined) {
    throw new TypeError(`executive page: ${field} is not a decimal string: ${JSON.stringify(value)}`);
  }
}

function parsed(value: string): Dec {
  const p = parse(value);
  if (!p) throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  return p;
}

/** An exact sort key: the value scaled to 12 decimals, so keys of any two decimal strings compare in bigint. */
export function decimalKey(value: string): bigint {
  const p = parsed(value);
  return p.units * 10n ** BigInt(12 - p.scale);
}

/** True when the decimal string is strictly above zero (exact). */
export function isPositiveDecimal(value: string): boolean {
  return parsed(value).units > 0n;
}

/** True when the decimal string is strictly below zero (exact: "-0.00" is not negative). */
export function isNegativeDecimal(value: string): boolean {
  return parsed(value).units < 0n;
}

/**
 * A float for chart geometry only (bar widths, point positions), never for text. Negative
 * amounts have no length on a bar, so they are drawn as 0; the exact string is the label.
 */
export function geometry(value: string): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * a − b, exact, at the larger of the two scales ("120.50" − "100.25" = "20.25"), with a sign:
 * "+20.25", "-3.10", "0.00". What a card prints as its change since the last close.
 */
export function signedDifference(a: string, b: string): string {
  const x = parsed(a);
  const y = parsed(b);
  const scale = Math.max(x.scale, y.scale);
  const diff = x.units * 10n ** BigInt(scale - x.scale) - y.units * 10n ** BigInt(scale - y.scale);
  const abs = diff < 0n ? -diff : diff;
  const digits = abs.toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${diff > 0n ? "+" : diff < 0n ? "-" : ""}${text}`;
}

/** A fraction as a percentage with two decimals, exact ("0.9871" -> "98.71"): shifts the point, rounds nothing. */
export function fractionToPercent(value: string): string {
  const p = parsed(value);
  const units = p.scale >= 2 ? p.units : p.units * 10n ** BigInt(2 - p.scale);
  const scale = Math.max(p.scale - 2, 0);
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${neg ? "-" : ""}${text}`;
}
