import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { InvoiceLine } from "../../invoices/index.js";
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

/** COPY's text format: `\N` for NULL; backslash, tab, line breaks escaped. */
function field(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return "\\N";
  if (typeof value === "number") return String(value);
  // Most cells need no escape: tested first, the replacement (and its copy) is skipped.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(ESCAPED, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;

function row(line: InvoiceLine): string {
  const first = line.monthly.perMonth[0]?.month;
  if (first === undefined) throw new Error(`line ${String(line.lineNumber)} has no month`);
  const cells = [
    line.invoiceNumber,
    line.lineNumber,
    line.invoiceDate,
    line.lineType,
    line.relid,
    line.serviceId,
    line.serviceIdSource,
    line.hostname,
    line.hostnameSource,
    line.ip,
    line.description,
    formatCents(line.amountCents),
    line.kind,
    line.category,
    line.period?.start,
    line.period?.end,
    line.monthly.method,
    formatCents(line.monthly.monthlyCents),
    `${first}-01`,
    `{${line.monthly.perMonth.map((m) => formatCents(m.cents)).join(",")}}`,
  ];
  let text = field(cells[0]);
  for (let i = 1; i < cells.length; i++) text += "\t" + field(cells[i]);
  return text + "\n";
}

/** Collects the calendar months (`YYYY-MM`) the staged lines apply to, and counts them. */
export class StagingCopy {
  staged = 0;
  readonly months = new Set<string>();
  #pending: string[] = [];
  #pendingChars = 0;

  private constructor(private readonly stream: NodeJS.WritableStream & { rowCount?: number }) {}

  /** Opens the COPY on the import's own connection (the temporary table lives in its session). */
  static open(client: pg.PoolClient): StagingCopy {
    return new StagingCopy(client.query(copyFrom(`COPY invoice_staging (${COLUMNS.join(", ")}) FROM STDIN`)));
  }

  /** Adds a line; returns a promise only when a piece went out and the stream asks to wait. */
  add(line: InvoiceLine): Promise<void> | undefined {
    const text = row(line);
    for (const m of line.monthly.perMonth) this.months.add(m.month);
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
