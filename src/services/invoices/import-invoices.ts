import { createReadStream } from "node:fs";
import type pg from "pg";
import { importInvoiceLines, InvoiceFiguresError, type ImportResult } from "../../db/invoice-import.js";
import {
  describeDateOrder,
  detectDateOrder,
  InvoiceFileError,
  InvoiceSummary,
  readInvoiceFile,
  type BadLine,
  type DateOrder,
  type InvoiceLine,
} from "../../invoices/index.js";
import { InputError } from "../errors.js";

/**
 * The invoice import use case (docs/invoices.md, "Importing"), the same for every caller: the
 * file's date order decided once, its lines read as a stream and validated, then imported in one
 * transaction. Refusals of the file as a whole are `InputError`s: nothing is written.
 */

export interface ImportRequest {
  file: string;
  dryRun: boolean;
  skipBad: boolean;
  /** `--date-order`: how the file writes slash dates, when its dates do not show it. */
  dateOrder?: DateOrder;
  importedBy: string;
  reason: string;
  anomaly: { percent: number; usdCents: bigint };
  /** Called for every bad line as it is found (the service keeps none of them). */
  onBad: (bad: BadLine) => void;
}

export interface ImportOutcome {
  file: string;
  dryRun: boolean;
  skipBad: boolean;
  /** How the file's dates were read, in words. */
  dateOrder: string;
  summary: InvoiceSummary;
  result: ImportResult;
}

/** Imports one invoice file; throws `InputError` when the file cannot be imported at all. */
export async function importInvoiceFile(pool: pg.Pool, r: ImportRequest): Promise<ImportOutcome> {
  const order = await decideDateOrder(r.file, r.dateOrder);
  const summary = new InvoiceSummary({ keepBadLines: 0 });
  const lines = validLines(readInvoiceFile(createReadStream(r.file), { dateOrder: order.order }), {
    summary,
    skipBad: r.skipBad,
    onBad: r.onBad,
  });
  const client = await pool.connect();
  try {
    const result = await importInvoiceLines(client, lines, {
      importedBy: r.importedBy,
      reason: r.reason,
      anomaly: r.anomaly,
      dryRun: r.dryRun,
      proceed: () => r.skipBad || summary.badLines === 0,
    });
    if (result.merge) summary.invoices = result.merge.invoices;
    return { file: r.file, dryRun: r.dryRun, skipBad: r.skipBad, dateOrder: order.text, summary, result };
  } catch (err) {
    if (err instanceof InvoiceFileError || err instanceof InvoiceFiguresError) throw new InputError(err.message);
    throw err;
  } finally {
    client.release();
  }
}

/** The file's date order: given, or shown by its dates; a file whose slash dates never show it is refused. */
async function decideDateOrder(file: string, given: DateOrder | undefined) {
  const finding = await detectDateOrder(createReadStream(file));
  if (given === undefined && finding.kind === "ambiguous") {
    throw new InputError(
      `${file}: none of its ${String(finding.slashDates)} slash dates shows whether it is written month-first or ` +
        "day-first (every day is 12 or less, as in 01/02/2026); it needs --date-order mdy|dmy. Nothing was written.",
    );
  }
  const order = given ?? (finding.kind === "shown" ? finding.order : undefined);
  return { order, text: describeDateOrder(order, finding, given !== undefined) };
}

/**
 * The file's valid lines, counted in the summary. Once a bad line is seen without --skip-bad,
 * nothing will be written: the rest of the file is only read, to list every bad line.
 */
async function* validLines(
  items: ReturnType<typeof readInvoiceFile>,
  o: { summary: InvoiceSummary; skipBad: boolean; onBad: (b: BadLine) => void },
): AsyncGenerator<InvoiceLine> {
  for await (const item of items) {
    o.summary.add(item);
    if (item.type === "bad") o.onBad(item);
    else if (item.type === "line" && (o.skipBad || o.summary.badLines === 0)) yield item;
  }
}
