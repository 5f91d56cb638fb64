import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { InvoiceLine, MonthlyEquivalent } from "../../invoices/index.js";
import { formatCents } from "../../money.js";

/**
 * Invoice lines streamed into the import's temporary table with one COPY: the server parses text
 * rows as fast as the file is read, with no statement per batch, and the stream's back-pressure
 * keeps memory to a few pieces of it whatever the file's size.
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
] as const;

/** COPY's text format: backslash, tab, line breaks escaped (`\N`, NULL, is written by the caller). */
function copyText(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // Most cells need no escape: the replacement (and its copy) is made only for those that do.
    if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d) return value.replace(ESCAPED, escape);
  }
  return value;
}

const ESCAPED = /[\\\t\n\r]/g;
const escape = (c: string) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r");

/** A cell that may be NULL. */
const optional = (value: string | undefined): string => (value === undefined ? "\\N" : copyText(value));

/**
 * A line's row, its columns tab-separated, in `COLUMNS` order. What depends only on the line's
 * monthly equivalent, kind, category and period (the second half of the row) is written once per
 * distinct combination by `RowTails`; the amounts once per amount.
 */
function row(line: InvoiceLine, tails: RowTails, amounts: Map<bigint, string>): string {
  return (
    copyText(line.invoiceNumber) +
    "\t" +
    String(line.lineNumber) +
    "\t" +
    copyText(line.invoiceDate) +
    "\t" +
    optional(line.lineType) +
    "\t" +
    optional(line.relid) +
    "\t" +
    optional(line.serviceId) +
    "\t" +
    optional(line.serviceIdSource) +
    "\t" +
    optional(line.hostname) +
    "\t" +
    optional(line.hostnameSource) +
    "\t" +
    optional(line.ip) +
    "\t" +
    tails.description(line.description) +
    "\t" +
    amountText(amounts, line.amountCents) +
    "\t" +
    tails.of(line)
  );
}

/** Entries each cache of the rows' parts keeps (cleared when full). */
const PARTS_MAX = 4096;

function amountText(amounts: Map<bigint, string>, cents: bigint): string {
  let text = amounts.get(cents);
  if (text === undefined) {
    if (amounts.size >= PARTS_MAX) amounts.clear();
    amounts.set(cents, (text = formatCents(cents)));
  }
  return text;
}

/**
 * The second half of the rows (kind to month_usd, and the line break), kept per monthly
 * equivalent: the validator shares one frozen object among the lines of an amount and period.
 * A kept text is used only for a line of the same kind, category and period, so it is the text
 * the line would give. `onNew` sees each monthly equivalent the first time (and again after the
 * cache is cleared).
 */
class RowTails {
  readonly #tails = new Map<
    MonthlyEquivalent,
    { kind: string; category: string; start?: string; end?: string; text: string }
  >();
  readonly #descriptions = new Map<string, string>();

  constructor(private readonly onNew: (monthly: MonthlyEquivalent) => void) {}

  of(line: InvoiceLine): string {
    const { monthly, kind, category } = line;
    const [start, end] = [line.period?.start, line.period?.end];
    const kept = this.#tails.get(monthly);
    if (kept?.kind === kind && kept.category === category && kept.start === start && kept.end === end) return kept.text;
    const text = tail(line);
    this.onNew(monthly);
    if (Object.isFrozen(monthly)) {
      if (this.#tails.size >= PARTS_MAX) this.#tails.clear();
      this.#tails.set(monthly, { kind, category, start, end, text });
    }
    return text;
  }

  /** The description as COPY text, escaped once per description. */
  description(d: string): string {
    let text = this.#descriptions.get(d);
    if (text === undefined) {
      if (this.#descriptions.size >= PARTS_MAX) this.#descriptions.clear();
      this.#descriptions.set(d, (text = copyText(d)));
    }
    return text;
  }
}

function tail(line: InvoiceLine): string {
  const first = line.monthly.perMonth[0]?.month;
  if (first === undefined) throw new Error(`line ${String(line.lineNumber)} has no month`);
  const cells = [
    line.kind,
    line.category,
    line.period?.start,
    line.period?.end,
    line.monthly.method,
    formatCents(line.monthly.monthlyCents),
    `${first}-01`,
    `{${line.monthly.perMonth.map((m) => formatCents(m.cents)).join(",")}}`,
  ];
  return cells.map(optional).join("\t") + "\n";
}

/** Collects the calendar months (`YYYY-MM`) the staged lines apply to, and counts them. */
export class StagingCopy {
  staged = 0;
  readonly months = new Set<string>();
  #pending: string[] = [];
  #pendingChars = 0;
  readonly #tails = new RowTails((monthly) => {
    for (const m of monthly.perMonth) this.months.add(m.month);
  });
  readonly #amounts = new Map<bigint, string>();

  private constructor(private readonly stream: NodeJS.WritableStream & { rowCount?: number }) {}

  /** Opens the COPY on the import's own connection (the temporary table lives in its session). */
  static open(client: pg.PoolClient): StagingCopy {
    return new StagingCopy(client.query(copyFrom(`COPY invoice_staging (${COLUMNS.join(", ")}) FROM STDIN`)));
  }

  /** Adds a line; returns a promise only when a piece went out and the stream asks to wait. */
  add(line: InvoiceLine): Promise<void> | undefined {
    const text = row(line, this.#tails, this.#amounts);
    this.staged++;
    this.#pending.push(text);
    this.#pendingChars += text.length;
    // Rows go in pieces of about 64 KB: one write per line would cost more than the COPY itself.
    return this.#pendingChars >= 65_536 ? this.#write() : undefined;
  }

  /** The calendar months (`YYYY-MM-01`) the staged lines apply to. */
  get monthStarts(): string[] {
    return [...this.months].map((m) => `${m}-01`);
  }

  async #write(): Promise<void> {
    const piece = this.#pending.join("");
    [this.#pending, this.#pendingChars] = [[], 0];
    if (!this.stream.write(piece)) await once(this.stream, "drain");
  }

  /** Sends what is left and waits until the server has every row. */
  async finish(): Promise<void> {
    if (this.#pendingChars > 0) await this.#write();
    const done = once(this.stream, "finish");
    this.stream.end();
    await done;
  }

  /** Ends the COPY with an error (the transaction is rolled back by the caller). */
  abort(): void {
    (this.stream as unknown as { destroy(e?: Error): void }).destroy(new Error("import aborted"));
  }
}
