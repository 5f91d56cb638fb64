/**
 * PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary
 * Format"), for the few types the invoice staging table has. The server reads each value with its
 * type's binary input instead of parsing dates, numerics and arrays from text, a large part of its
 * work on these rows (docs/invoices.md, "Loading"). Values go into a `CopyRows` buffer; one buffer
 * is one piece of the stream.
 */

/** The signature, the flags (none) and the length of the header extension (none). */
export const COPY_HEADER = Buffer.from([
  ...Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"),
  ...[0, 0, 0, 0],
  ...[0, 0, 0, 0],
]);
/** The file trailer: a field count of -1. */
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

const NUMERIC_OID = 1700;
/** Days from 1970-01-01 (JavaScript's epoch) to 2000-01-01 (PostgreSQL's). */
const PG_EPOCH_DAYS = 10_957;
const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` date as its field: length 4, days since 2000-01-01. */
export function dateField(text: string): Buffer {
  const [y, m, d] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  const days = Date.UTC(y, m - 1, d) / DAY_MS - PG_EPOCH_DAYS;
  if (!Number.isInteger(days) || text.length !== 10) throw new Error(`not a date: ${text}`);
  const b = Buffer.allocUnsafe(8);
  b.writeInt32BE(4, 0);
  b.writeInt32BE(days, 4);
  return b;
}

/** An amount in cents as a numeric value of scale 2 (its bytes, without the length). */
function numericValue(cents: bigint): Buffer {
  const negative = cents < 0n;
  let units = negative ? -cents : cents;
  const fraction = Number(units % 100n) * 100; // the two decimals, as one base-10000 digit
  units /= 100n;
  const digits: number[] = [];
  for (; units > 0n; units /= 10_000n) digits.unshift(Number(units % 10_000n));
  const weight = digits.length - 1;
  if (fraction !== 0) digits.push(fraction);
  // No leading or trailing zero digits, as PostgreSQL keeps a numeric.
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
  const b = Buffer.allocUnsafe(8 + 2 * digits.length);
  b.writeInt16BE(digits.length, 0);
  b.writeInt16BE(digits.length === 0 ? 0 : weight, 2);
  b.writeUInt16BE(negative && digits.length > 0 ? 0x4000 : 0, 4);
  b.writeInt16BE(2, 6);
  digits.forEach((d, i) => b.writeInt16BE(d, 8 + 2 * i));
  return b;
}

/** An amount in cents as a numeric field (with its length). */
export function numericField(cents: bigint): Buffer {
  return withLength(numericValue(cents));
}

/** Amounts in cents as a one-dimensional numeric[] field, lower bound 1. */
export function numericArrayField(cents: readonly bigint[]): Buffer {
  const head = Buffer.allocUnsafe(20);
  head.writeInt32BE(1, 0); // dimensions
  head.writeInt32BE(0, 4); // no NULL element
  head.writeInt32BE(NUMERIC_OID, 8);
  head.writeInt32BE(cents.length, 12);
  head.writeInt32BE(1, 16); // lower bound
  return withLength(Buffer.concat([head, ...cents.map((c) => withLength(numericValue(c)))]));
}

/** A text field (its UTF-8 bytes, with the length). */
export function textField(text: string): Buffer {
  return withLength(Buffer.from(text, "utf8"));
}

function withLength(value: Buffer): Buffer {
  const b = Buffer.allocUnsafe(4 + value.length);
  b.writeInt32BE(value.length, 0);
  value.copy(b, 4);
  return b;
}

/** Rows written into one buffer; `take` hands the filled part on and starts a new buffer. */
export class CopyRows {
  #buf: Buffer;
  #at = 0;

  constructor(private readonly size: number) {
    this.#buf = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.#at;
  }

  /** Whether `bytes` more fit in the buffer (else the caller hands the rows on with `take`, or `grow`s it). */
  fits(bytes: number): boolean {
    return this.#at + bytes <= this.#buf.length;
  }

  /** Starts a row of `fields` fields (the caller checked with `fits` that the whole row fits). */
  row(fields: number): void {
    this.#buf.writeInt16BE(fields, this.#at);
    this.#at += 2;
  }

  int4(value: number): void {
    this.#buf.writeInt32BE(4, this.#at);
    this.#buf.writeInt32BE(value, this.#at + 4);
    this.#at += 8;
  }

  null(): void {
    this.#buf.writeInt32BE(-1, this.#at);
    this.#at += 4;
  }

  /** A text field: ASCII byte by byte (most cells), anything else through Buffer's UTF-8 encoder. */
  text(value: string): void {
    const buf = this.#buf;
    const start = this.#at + 4;
    let at = start;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 0x80) {
        at = start + buf.write(value, start, "utf8");
        break;
      }
      buf[at++] = c;
    }
    buf.writeInt32BE(at - start, this.#at);
    this.#at = at;
  }

  optionalText(value: string | undefined): void {
    if (value === undefined) this.null();
    else this.text(value);
  }

  /** A field already encoded (with its length). */
  bytes(field: Buffer): void {
    field.copy(this.#buf, this.#at);
    this.#at += field.length;
  }

  /** The rows written so far; writing goes on in a new buffer of the same size. */
  take(): Buffer {
    const out = this.#buf.subarray(0, this.#at);
    [this.#buf, this.#at] = [Buffer.allocUnsafe(this.size), 0];
    return out;
  }

  /** A row bigger than the buffer's size (a very long description): a buffer of its own. */
  grow(bytes: number): void {
    if (this.#at !== 0) throw new Error("grow() only on an empty buffer");
    this.#buf = Buffer.allocUnsafe(Math.max(this.size, bytes));
  }
}
