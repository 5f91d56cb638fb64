import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type pg from "pg";
import type { Config } from "../config/env.js";
import {
  importInvoiceLines,
  InvoiceFiguresError,
  type Correction,
  type ImportResult,
  type UnmatchedLine,
} from "../db/month-end/invoice-import.js";
import {
  describeDateOrder,
  detectDateOrder,
  InvoiceFileError,
  InvoiceSummary,
  readInvoiceFilePieces,
  type BadLine,
  type DateOrder,
  type InvoiceLine,
} from "../invoices/index.js";
import { parseUsdCents } from "../money.js";
import { InputError } from "./errors.js";
import type { SavingsService } from "./savings/service.js";

export type { Correction, UnmatchedLine };

/** Bad lines an outcome keeps (all are counted): a file of bad lines must not fill memory. */
const KEPT_BAD_LINES = 1000;

/** What an import read and did, as `invoices import` prints it. */
export interface ImportOutcome {
  file: string;
  dryRun: boolean;
  skipBad: boolean;
  /** How the file's dates were read, in words. */
  dateOrder: string;
  summary: InvoiceSummary;
  /** The first KEPT_BAD_LINES bad lines, when `keepBad`. */
  bad: BadLine[];
  result: ImportResult;
  /** Wall time per step of the import, in ms (the bench prints them). */
  timings: Record<string, number>;
}

export interface ImportRequest {
  file: string;
  dryRun: boolean;
  /** Import the valid lines of a file with bad lines (which are still reported). */
  skipBad: boolean;
  /** `--date-order`: how the file writes slash dates, when its dates do not show it. */
  dateOrder?: DateOrder;
  importedBy: string;
  /** Called for each bad line as it is found; `keepBad` also keeps the first ones in the outcome. */
  onBad: (b: BadLine) => void;
  keepBad: boolean;
}

/**
 * Imports Finance's invoice CSV (docs/invoices.md) in one transaction on a connection of `pool`:
 * the file's date order decided once, then the file read as a stream; once a bad line is seen
 * without `skipBad` nothing is written, while the rest of the file is still read to report every
 * bad line. A file that cannot be imported at all is an `InputError`: nothing is written.
 * Once an import is committed, the savings are recomputed: they read the latest invoices
 * (billed after decommission, realised savings).
 */
export async function importInvoices(
  deps: {
    pool: pg.Pool;
    cfg: Pick<Config, "ANOMALY_THRESHOLD_PERCENT" | "ANOMALY_THRESHOLD_USD">;
    savings: () => Pick<SavingsService, "refresh">;
  },
  r: ImportRequest,
): Promise<ImportOutcome> {
  const outcome = await importFile(deps, r);
  const t0 = performance.now();
  if (!r.dryRun && outcome.result.committed) await deps.savings().refresh(`invoices import ${basename(r.file)}`);
  outcome.timings["savings refresh"] = performance.now() - t0;
  return outcome;
}

async function importFile(
  deps: { pool: pg.Pool; cfg: Pick<Config, "ANOMALY_THRESHOLD_PERCENT" | "ANOMALY_THRESHOLD_USD"> },
  r: ImportRequest,
): Promise<ImportOutcome> {
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const order = await decideDateOrder(r.file, r.dateOrder);
  timings["date order"] = performance.now() - t0;
  const summary = new InvoiceSummary({ keepBadLines: 0 });
  const bad: BadLine[] = [];
  const onBad = (b: BadLine) => {
    if (r.keepBad && bad.length < KEPT_BAD_LINES) bad.push(b);
    r.onBad(b);
  };
  const items = readInvoiceFilePieces(createReadStream(r.file), { dateOrder: order.order });
  const lines = validLines(items, { summary, skipBad: r.skipBad, onBad });
  const client = await deps.pool.connect();
  try {
    const result = await importInvoiceLines(client, lines, {
      importedBy: r.importedBy,
      reason: `invoices import ${basename(r.file)}`,
      anomaly: { percent: deps.cfg.ANOMALY_THRESHOLD_PERCENT, usdCents: thresholdCents(deps.cfg) },
      dryRun: r.dryRun,
      proceed: () => r.skipBad || summary.badLines === 0,
      timings,
    });
    if (result.merge) summary.invoices = result.merge.invoices;
    const { file, dryRun, skipBad } = r;
    return { file, dryRun, skipBad, dateOrder: order.text, summary, bad, result, timings };
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

/** ANOMALY_THRESHOLD_USD as cents; the configuration checked it, so a failure here is a bug, not a guess. */
function thresholdCents(cfg: Pick<Config, "ANOMALY_THRESHOLD_USD">): bigint {
  const cents = parseUsdCents(cfg.ANOMALY_THRESHOLD_USD);
  if (cents === undefined) throw new Error(`ANOMALY_THRESHOLD_USD ${cfg.ANOMALY_THRESHOLD_USD} is not a USD amount`);
  return cents;
}

/**
 * The file's valid lines, counted in the summary, a piece of the file at a time. Once a bad line is
 * seen without --skip-bad, nothing will be written: the rest of the file is only read, to list
 * every bad line.
 */
async function* validLines(
  pieces: ReturnType<typeof readInvoiceFilePieces>,
  o: { summary: InvoiceSummary; skipBad: boolean; onBad: (b: BadLine) => void },
): AsyncGenerator<InvoiceLine[]> {
  for await (const items of pieces) {
    const lines: InvoiceLine[] = [];
    for (const item of items) {
      o.summary.add(item);
      if (item.type === "bad") o.onBad(item);
      else if (item.type === "line" && (o.skipBad || o.summary.badLines === 0)) lines.push(item);
    }
    if (lines.length > 0) yield lines;
  }
}
