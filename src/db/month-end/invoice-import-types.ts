/** What an invoice import is asked and what it answers (src/db/invoice-import.ts). */

/** How the file's lines matched, and how many of them the merge wrote. */
export interface MergeCounts {
  inserted: number;
  updated: number;
  /** Lines of the file's invoices that the file no longer has. */
  deleted: number;
  lines: number;
  invoices: number;
  vps_by_service_id: number;
  vps_by_ip: number;
  vps_by_hostname: number;
  ip_by_ip: number;
  ip_by_service_id: number;
  ip_by_hostname: number;
  other: number;
  ambiguous: number;
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

/** A line that matched nothing, or more than one live VPS (`candidates`). */
export interface UnmatchedLine {
  file_line: number;
  invoice_number: string;
  line_no: number;
  service_id: string | null;
  hostname: string | null;
  ip: string | null;
  kind: string;
  amount_usd: string;
  matched: "unmatched" | "ambiguous";
  candidates: string[] | null;
  untracked_serviceid: string | null;
}

/** A line a corrected file removed, or moved to other months. */
export interface Correction {
  change: "removed" | "moved";
  invoice_number: string;
  line_no: number;
  description: string;
  amount_usd: string;
  old_months: string;
  new_months: string | null;
  new_file_line: number | null;
}

export interface OversizedMonth {
  month: string;
  serviceid: string | null;
  invoiced_usd: string;
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
  /** Removed and moved lines listed (all are counted). Default 50. */
  listLimit?: number;
  /** Filled with each step's wall time in ms (for the bench's per-phase figures), when given. */
  timings?: Record<string, number>;
}

export interface ImportResult {
  committed: boolean;
  staged: number;
  merge: MergeCounts | null;
  corrections: { removed: number; moved: number; lines: Correction[] };
  months: MonthAccuracy[];
  monthlyCostFilled: number;
  anomalies: { current: number; written: number; removed: number };
  unmatched: UnmatchedLine[];
}
