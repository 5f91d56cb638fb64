import { createReadStream } from "node:fs";
import { basename } from "node:path";
import type pg from "pg";
import type { Config } from "../config/env.js";
import { importInvoiceLines, type ImportResult } from "../db/month-end/invoice-import.js";
import { InvoiceSummary, readInvoiceFile, type BadLine, type InvoiceLine } from "../invoices/index.js";
import { parseUsdCents } from "../money.js";

/** What an import read and did, as `invoices import` prints it. */
export interface ImportOutcome {
  file: string;
  dryRun: boolean;
  skipBad: boolean;
  summary: InvoiceSummary;
  bad: BadLine[];
  result: ImportResult;
}

export interface ImportRequest {
  file: string;
  dryRun: boolean;
  /** Import the valid lines of a file with bad lines (which are still reported). */
  skipBad: boolean;
  importedBy: string;
  /** Called for each bad line as it is found; `keepBad` also keeps them in the outcome. */
  onBad: (b: BadLine) => void;
  keepBad: boolean;
}

/**
 * Imports Finance's invoice CSV (docs/invoices.md) in one transaction on a connection of `pool`:
 * the file is read as a stream, and once a bad line is seen without `skipBad` nothing is written,
 * while the rest of the file is still read to report every bad line.
 */
export async function importInvoices(
  deps: { pool: pg.Pool; cfg: Pick<Config, "ANOMALY_THRESHOLD_PERCENT" | "ANOMALY_THRESHOLD_USD"> },
  r: ImportRequest,
): Promise<ImportOutcome> {
  const summary = new InvoiceSummary({ keepBadLines: 0 });
  const bad: BadLine[] = [];
  const onBad = (b: BadLine) => {
    if (r.keepBad) bad.push(b);
    r.onBad(b);
  };
  const lines = validLines(readInvoiceFile(createReadStream(r.file)), { summary, skipBad: r.skipBad, onBad });
  const client = await deps.pool.connect();
  try {
    const result = await importInvoiceLines(client, lines, {
      importedBy: r.importedBy,
      reason: `invoices import ${basename(r.file)}`,
      anomaly: { percent: deps.cfg.ANOMALY_THRESHOLD_PERCENT, usdCents: thresholdCents(deps.cfg) },
      dryRun: r.dryRun,
      proceed: () => r.skipBad || summary.badLines === 0,
    });
    return { file: r.file, dryRun: r.dryRun, skipBad: r.skipBad, summary, bad, result };
  } finally {
    client.release();
  }
}

/** ANOMALY_THRESHOLD_USD as cents; the configuration checked it, so a failure here is a bug, not a guess. */
function thresholdCents(cfg: Pick<Config, "ANOMALY_THRESHOLD_USD">): bigint {
  const cents = parseUsdCents(cfg.ANOMALY_THRESHOLD_USD);
  if (cents === undefined) throw new Error(`ANOMALY_THRESHOLD_USD ${cfg.ANOMALY_THRESHOLD_USD} is not a USD amount`);
  return cents;
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
