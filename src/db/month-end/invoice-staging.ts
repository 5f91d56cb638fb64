import type { InvoiceLine } from "../../invoices/index.js";
import { formatCents } from "../../money.js";
import { pgQuery, statement, type PgQueryable } from "../sql.js";

/**
 * Invoice lines sent to PostgreSQL in batches: one array per column (`unnest`), so a batch of a few
 * thousand lines is one round trip and one statement, and memory holds one batch at a time.
 */

const STAGE = statement<StageParams>("invoices/stage-batch");

type Column<T> = T[];
interface StageParams extends Record<string, unknown> {
  invoiceNumber: Column<string>;
  lineNo: Column<number>;
  fileLine: Column<number>;
  invoiceDate: Column<string>;
  serviceId: Column<string | null>;
  hostname: Column<string | null>;
  ip: Column<string | null>;
  description: Column<string>;
  amountUsd: Column<string>;
  kind: Column<string>;
  category: Column<string>;
  periodStart: Column<string | null>;
  periodEnd: Column<string | null>;
  monthlyMethod: Column<string>;
  monthlyUsd: Column<string>;
  firstMonth: Column<string>;
  /** Array literals (`{9.99,9.98}`): unnest cannot take an array of arrays of different lengths. */
  monthUsd: Column<string>;
}

const emptyBatch = (): StageParams => ({
  invoiceNumber: [],
  lineNo: [],
  fileLine: [],
  invoiceDate: [],
  serviceId: [],
  hostname: [],
  ip: [],
  description: [],
  amountUsd: [],
  kind: [],
  category: [],
  periodStart: [],
  periodEnd: [],
  monthlyMethod: [],
  monthlyUsd: [],
  firstMonth: [],
  monthUsd: [],
});

/**
 * Collects lines and stages them `size` at a time. One batch is sent while the next is filled, so
 * reading the file (this process) and inserting (the server) overlap; memory holds two batches.
 */
export class StagingBatcher {
  #batch = emptyBatch();
  #count = 0;
  #inFlight: Promise<void> = Promise.resolve();
  staged = 0;
  /** The calendar months (`YYYY-MM-01`) the staged lines apply to. */
  readonly months = new Set<string>();

  constructor(
    private readonly pg: PgQueryable,
    private readonly size: number,
  ) {}

  async add(line: InvoiceLine): Promise<void> {
    const b = this.#batch;
    const first = line.monthly.perMonth[0]?.month;
    if (first === undefined) throw new Error(`line ${String(line.lineNumber)} has no month`);
    b.invoiceNumber.push(line.invoiceNumber);
    b.lineNo.push(line.lineIndex);
    b.fileLine.push(line.lineNumber);
    b.invoiceDate.push(line.invoiceDate);
    b.serviceId.push(line.serviceId ?? null);
    b.hostname.push(line.hostname ?? null);
    b.ip.push(line.ip ?? null);
    b.description.push(line.description);
    b.amountUsd.push(formatCents(line.amountCents));
    b.kind.push(line.kind);
    b.category.push(line.category);
    b.periodStart.push(line.period?.start ?? null);
    b.periodEnd.push(line.period?.end ?? null);
    b.monthlyMethod.push(line.monthly.method);
    b.monthlyUsd.push(formatCents(line.monthly.monthlyCents));
    b.firstMonth.push(`${first}-01`);
    b.monthUsd.push(`{${line.monthly.perMonth.map((m) => formatCents(m.cents)).join(",")}}`);
    for (const m of line.monthly.perMonth) this.months.add(`${m.month}-01`);
    if (++this.#count >= this.size) await this.#send();
  }

  /** Sends what is left and waits until every batch is in. */
  async flush(): Promise<void> {
    await this.#send();
    await this.#inFlight;
  }

  /** Waits for the batch in flight (its error surfaces here), then sends the current one. */
  async #send(): Promise<void> {
    await this.#inFlight;
    if (this.#count === 0) return;
    const batch = this.#batch;
    [this.#batch, this.#count] = [emptyBatch(), 0];
    this.#inFlight = pgQuery(this.pg, STAGE, batch).then(() => {
      this.staged += batch.lineNo.length;
    });
  }
}
