import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  CACHE_MAX,
  KEPT_DESCRIPTION_CHARS,
  remember,
  type InvoiceLine,
  type MonthlyEquivalent,
} from "../../invoices/index.js";
import {
  COPY_HEADER,
  COPY_TRAILER,
  CopyRows,
  dateField,
  numericArrayField,
  numericField,
  textField,
} from "./copy-binary.js";

/**
 * Invoice lines streamed into the import's temporary table with one binary COPY (copy-binary.ts):
 * the server reads the rows as fast as the file is read, with no statement per batch, and the
 * stream's back-pressure keeps memory to a few pieces of it whatever the file's size.
 */

/** The staged columns, in the order `row` writes them (create-staging.sql defines the table). */
const COLUMNS = [
  "invoice_number",
  "file_line",
  "invoice_date",
  "line_type",
  "relid",
  "service_id",
  "service_id_source",
  "hostname",
  "hostname_source",
  "ip",
  "description",
  "amount_usd",
  "kind",
  "category",
  "period_start",
  "period_end",
  "monthly_method",
  "monthly_usd",
  "first_month",
  "month_usd",
  "run",
  "run_line",
] as const;

/** Bytes a piece of rows holds before it goes out: one write per line would cost more than the COPY. */
const PIECE_BYTES = 65_536;
/** Up to CACHE_MAX values made by `make`, by key (the invoice import's one bounded cache). */
class Kept<K, V> {
  readonly #map = new Map<K, V>();
  constructor(private readonly make: (key: K) => V) {}
  of(key: K): V {
    return remember(this.#map, key, this.make);
  }
}

/**
 * The last nine fields of the rows (kind to month_usd), encoded once per monthly equivalent: the
 * validator shares one frozen object among the lines of an amount and period. A kept encoding is
 * used only for a line of the same kind, category and period, so it is the one the line would
 * give. `onNew` sees each monthly equivalent the first time (and again after the cache is cleared).
 */
class RowTails {
  readonly #tails = new Map<
    MonthlyEquivalent,
    { kind: string; category: string; start?: string; end?: string; bytes: Buffer }
  >();

  constructor(
    private readonly onNew: (monthly: MonthlyEquivalent) => void,
    private readonly dates: Kept<string, Buffer>,
  ) {}

  of(line: InvoiceLine): Buffer {
    const { monthly, kind, category } = line;
    const [start, end] = [line.period?.start, line.period?.end];
    const kept = this.#tails.get(monthly);
    if (kept?.kind === kind && kept.category === category && kept.start === start && kept.end === end)
      return kept.bytes;
    const bytes = this.#encode(line);
    this.onNew(monthly);
    if (Object.isFrozen(monthly)) {
      if (this.#tails.size >= CACHE_MAX) this.#tails.clear();
      this.#tails.set(monthly, { kind, category, start, end, bytes });
    }
    return bytes;
  }

  #encode(line: InvoiceLine): Buffer {
    const first = line.monthly.perMonth[0]?.month;
    if (first === undefined) throw new Error(`line ${String(line.lineNumber)} has no month`);
    const date = (d: string | undefined) => (d === undefined ? NULL_FIELD : this.dates.of(d));
    return Buffer.concat([
      textField(line.kind),
      textField(line.category),
      date(line.period?.start),
      date(line.period?.end),
      textField(line.monthly.method),
      numericField(line.monthly.monthlyCents),
      this.dates.of(`${first}-01`),
      numericArrayField(line.monthly.perMonth.map((m) => m.cents)),
    ]);
  }
}

const NULL_FIELD = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/** Most bytes the first eleven fields and the last two of a line's row take (3 UTF-8 bytes per UTF-16 unit at most). */
function headBytes(line: InvoiceLine): number {
  const chars =
    line.invoiceNumber.length +
    (line.lineType?.length ?? 0) +
    (line.relid?.length ?? 0) +
    (line.serviceId?.length ?? 0) +
    (line.serviceIdSource?.length ?? 0) +
    (line.hostname?.length ?? 0) +
    (line.hostnameSource?.length ?? 0) +
    (line.ip?.length ?? 0);
  return 2 + 4 * 20 + 3 * chars + 8 * 3;
}

/** Collects the calendar months (`YYYY-MM`) the staged lines apply to, and counts them. */
export class StagingCopy {
  staged = 0;
  readonly months = new Set<string>();
  readonly #rows = new CopyRows(PIECE_BYTES);
  /**
   * The run of consecutive lines of one invoice the last line is in (its first line's place among
   * the staged lines, from 1), that run's invoice number and the line's place in it: match-lines.sql
   * numbers the lines within their invoice from these (no sort of the file), and memory holds one
   * counter, not one per invoice.
   */
  #run = 0;
  #runInvoice: string | undefined;
  #runLine = 0;
  readonly #dates = new Kept(dateField);
  readonly #amounts = new Kept(numericField);
  readonly #descriptions = new Kept(textField);
  readonly #tails = new RowTails((monthly) => {
    for (const m of monthly.perMonth) this.months.add(m.month);
  }, this.#dates);

  private constructor(private readonly stream: NodeJS.WritableStream & { rowCount?: number }) {
    this.stream.write(COPY_HEADER);
  }

  /** Opens the COPY on the import's own connection (the temporary table lives in its session). */
  static open(client: pg.PoolClient): StagingCopy {
    return new StagingCopy(
      client.query(copyFrom(`COPY invoice_staging (${COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT binary)`)),
    );
  }

  /** Adds a line; returns a promise only when a piece went out and the stream asks to wait. */
  add(line: InvoiceLine): Promise<void> | undefined {
    // A long description is encoded afresh each time: kept, a few thousand could fill memory.
    const d = line.description;
    const description = d.length > KEPT_DESCRIPTION_CHARS ? textField(d) : this.#descriptions.of(d);
    const amount = this.#amounts.of(line.amountCents);
    const date = this.#dates.of(line.invoiceDate);
    const tail = this.#tails.of(line);
    const bytes = headBytes(line) + description.length + amount.length + date.length + tail.length;
    let wait: Promise<void> | undefined;
    if (!this.#rows.fits(bytes)) {
      if (this.#rows.length > 0) wait = this.#write();
      if (!this.#rows.fits(bytes)) this.#rows.grow(bytes);
    }
    const r = this.#rows;
    r.row(COLUMNS.length);
    r.text(line.invoiceNumber);
    r.int4(line.lineNumber);
    r.bytes(date);
    r.optionalText(line.lineType);
    r.optionalText(line.relid);
    r.optionalText(line.serviceId);
    r.optionalText(line.serviceIdSource);
    r.optionalText(line.hostname);
    r.optionalText(line.hostnameSource);
    r.optionalText(line.ip);
    r.bytes(description);
    r.bytes(amount);
    r.bytes(tail);
    if (line.invoiceNumber !== this.#runInvoice) {
      this.#run = this.staged + 1;
      this.#runInvoice = line.invoiceNumber;
      this.#runLine = 0;
    }
    r.int4(this.#run);
    r.int4(++this.#runLine);
    this.staged++;
    return wait;
  }

  /** The calendar months (`YYYY-MM-01`) the staged lines apply to. */
  get monthStarts(): string[] {
    return [...this.months].map((m) => `${m}-01`);
  }

  async #write(): Promise<void> {
    if (!this.stream.write(this.#rows.take())) await once(this.stream, "drain");
  }

  /** Sends what is left and the trailer, and waits until the server has every row. */
  async finish(): Promise<void> {
    if (this.#rows.length > 0) await this.#write();
    const done = once(this.stream, "finish");
    this.stream.end(COPY_TRAILER);
    await done;
  }

  /** Ends the COPY with an error (the transaction is rolled back by the caller). */
  abort(): void {
    (this.stream as unknown as { destroy(e?: Error): void }).destroy(new Error("import aborted"));
  }
}
