import type { InvoiceLine } from "../../invoices/index.js";
import { formatCents } from "../../money.js";
import { StagingBatcher } from "./invoice-staging.js";
import { pgQuery, pgTransaction, statement, type NoParams, type PgQueryable } from "../sql.js";

/**
 * Imports invoice lines in one transaction (docs/invoices.md, "Importing"): the lines stream into a
 * temporary table in batches, then one statement matches and upserts them, and the months they
 * touch are recomputed (per VPS, fleet totals, monthly_cost, drift anomalies). A dry run does all
 * of it and rolls back, so it shows exactly what the import would write.
 */

const BEGIN_LOCK = statement("invoices/begin-import");
const CREATE_STAGING = statement("invoices/create-staging");
const CREATE_TOUCHED = statement("invoices/create-touched");
const WORK_MEM = statement("invoices/set-work-mem");
const FILL_TOUCHED = statement<{ months: string[] }>("invoices/fill-touched");
const MERGE = statement<{ importedBy: string }, MergeCounts>("invoices/merge-lines");
const VPS_MONTHS = statement<NoParams, { written: number; removed: number }>("invoices/refresh-vps-months");
const TOTALS = statement<NoParams, { written: number }>("invoices/refresh-month-totals");
const FILL = statement<{ reason: string; changedBy: string }, { changed: number }>("invoices/fill-monthly-cost");
const ANOMALIES = statement<{ usd: string; percent: number }, { anomalies: number; written: number; removed: number }>(
  "invoices/drift-anomalies",
);
const ACCURACY = statement<NoParams, MonthAccuracy>("invoices/touched-accuracy");
const UNMATCHED = statement<{ limit: number }, UnmatchedLine>("invoices/unmatched-sample");

/** How the file's lines matched, and how many of them the upsert wrote. */
export interface MergeCounts {
  inserted: number;
  updated: number;
  lines: number;
  vps_by_service_id: number;
  vps_by_ip: number;
  ip_by_ip: number;
  ip_by_service_id: number;
  other: number;
  unmatched: number;
  untracked: number;
}

/** A touched month as invoice_monthly_accuracy shows it; figures as exact text. */
export interface MonthAccuracy {
  month: string;
  invoiced_usd: string;
  modelled_usd: string;
  abs_drift_usd: string;
  accuracy: string | null;
  vps_invoiced: number;
  vps_not_invoiced: number;
  unmatched_lines: number;
  other_spend_usd: string;
}

export interface UnmatchedLine {
  file_line: number;
  invoice_number: string;
  line_no: number;
  service_id: string | null;
  hostname: string | null;
  ip: string | null;
  kind: string;
  amount_usd: string;
  untracked_serviceid: string | null;
}

export interface ImportOptions {
  /** The operator (changed_by of monthly_cost fills, imported_by of lines). */
  importedBy: string;
  /** Why monthly_cost changed, as recorded beside each fill. */
  reason: string;
  anomaly: { percent: number; usdCents: bigint };
  dryRun: boolean;
  /** Asked once every line has been read: false rolls everything back (a bad line without --skip-bad). */
  proceed: () => boolean;
  /** Lines per round trip (default 5000). */
  batchSize?: number;
}

export interface ImportResult {
  committed: boolean;
  staged: number;
  merge: MergeCounts | null;
  months: MonthAccuracy[];
  vpsMonthsWritten: number;
  monthlyCostFilled: number;
  anomalies: { current: number; written: number; removed: number };
  unmatched: UnmatchedLine[];
}

/** One pg connection the caller owns (a pooled client): the transaction needs a single session. */
export async function importInvoiceLines(
  pg: PgQueryable,
  lines: AsyncIterable<InvoiceLine>,
  o: ImportOptions,
): Promise<ImportResult> {
  return pgTransaction(pg, (tx) => importInTransaction(tx, lines, o), { keep: (r) => r.committed });
}

async function importInTransaction(pg: PgQueryable, lines: AsyncIterable<InvoiceLine>, o: ImportOptions) {
  for (const s of [BEGIN_LOCK, WORK_MEM, CREATE_STAGING, CREATE_TOUCHED]) await pgQuery(pg, s, {});
  const batcher = new StagingBatcher(pg, o.batchSize ?? 5000);
  for await (const line of lines) await batcher.add(line);
  await batcher.flush();
  const result: ImportResult = {
    committed: false,
    staged: batcher.staged,
    merge: null,
    months: [],
    vpsMonthsWritten: 0,
    monthlyCostFilled: 0,
    anomalies: { current: 0, written: 0, removed: 0 },
    unmatched: [],
  };
  if (!o.proceed()) return result;
  await pgQuery(pg, FILL_TOUCHED, { months: [...batcher.months] });
  result.merge = (await pgQuery(pg, MERGE, { importedBy: o.importedBy })).rows[0] ?? null;
  const vps = (await pgQuery(pg, VPS_MONTHS, {})).rows[0];
  result.vpsMonthsWritten = (vps?.written ?? 0) + (vps?.removed ?? 0);
  await pgQuery(pg, TOTALS, {});
  const fill = await pgQuery(pg, FILL, { reason: o.reason, changedBy: o.importedBy });
  result.monthlyCostFilled = fill.rows[0]?.changed ?? 0;
  const usd = formatCents(o.anomaly.usdCents);
  const anomalies = (await pgQuery(pg, ANOMALIES, { usd, percent: o.anomaly.percent })).rows[0];
  result.anomalies = {
    current: anomalies?.anomalies ?? 0,
    written: anomalies?.written ?? 0,
    removed: anomalies?.removed ?? 0,
  };
  result.months = (await pgQuery(pg, ACCURACY, {})).rows;
  result.unmatched = (await pgQuery(pg, UNMATCHED, { limit: 20 })).rows;
  result.committed = !o.dryRun;
  return result;
}
