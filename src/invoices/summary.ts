/**
 * What an import saw, gathered line by line in constant memory (bar one entry per month): what
 * `--dry-run` prints and what an import reports.
 */
import { formatCents } from "../money.js";
import { LINE_CATEGORIES, type LineCategory, type LineKind } from "./classify.js";
import type { BadLine } from "./invoice-line.js";
import type { InvoiceFileItem, InvoiceHeader } from "./read-invoice-file.js";

export interface Totals {
  lines: number;
  cents: bigint;
}

const KINDS: readonly LineKind[] = ["vps", "ip", "other"];
const zero = (): Totals => ({ lines: 0, cents: 0n });

export interface SummaryOptions {
  /** Bad lines kept with their reasons (all are counted). Default 100. */
  keepBadLines?: number;
}

/** Add every item of `readInvoiceFile` to it. */
export class InvoiceSummary {
  header: InvoiceHeader | undefined;
  /** Valid lines. */
  lines = 0;
  badLines = 0;
  /** Amounts as invoiced, per kind and per category. */
  readonly byKind = Object.fromEntries(KINDS.map((k) => [k, zero()])) as Record<LineKind, Totals>;
  readonly byCategory = Object.fromEntries(LINE_CATEGORIES.map((c) => [c, zero()])) as Record<LineCategory, Totals>;
  /** Lines with a negative amount (already in the totals above). */
  readonly credits = zero();
  /** Monthly-equivalent figures per calendar month (`YYYY-MM`) and kind: what drift compares. */
  readonly monthly = new Map<string, Record<LineKind, bigint>>();
  /** Amounts as invoiced per month of the invoice date: what the ledger shows as paid. */
  readonly invoicedByMonth = new Map<string, bigint>();
  /** The first `keepBadLines` bad lines. */
  readonly bad: BadLine[] = [];
  readonly #keepBad: number;
  /**
   * Invoices in the file, when counted: the import counts them in the database, so that memory
   * does not hold one entry per invoice number.
   */
  invoices: number | undefined;

  constructor(options: SummaryOptions = {}) {
    this.#keepBad = options.keepBadLines ?? 100;
  }

  /** Everything invoiced, in cents. */
  get totalCents(): bigint {
    return KINDS.reduce((sum, k) => sum + this.byKind[k].cents, 0n);
  }

  add(item: InvoiceFileItem): void {
    if (item.type === "header") {
      this.header = item;
      return;
    }
    if (item.type === "bad") {
      this.badLines++;
      if (this.bad.length < this.#keepBad) this.bad.push(item);
      return;
    }
    this.lines++;
    count(this.byKind[item.kind], item.amountCents);
    count(this.byCategory[item.category], item.amountCents);
    if (item.isCredit) count(this.credits, item.amountCents);
    for (const { month, cents } of item.monthly.perMonth) {
      const row = this.monthly.get(month) ?? { vps: 0n, ip: 0n, other: 0n };
      row[item.kind] += cents;
      this.monthly.set(month, row);
    }
    const invoiceMonth = item.invoiceDate.slice(0, 7);
    this.invoicedByMonth.set(invoiceMonth, (this.invoicedByMonth.get(invoiceMonth) ?? 0n) + item.amountCents);
  }
}

function count(t: Totals, cents: bigint): void {
  t.lines++;
  t.cents += cents;
}

/** Left column padded, the others right-aligned: a plain text table. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map(
    (r) =>
      "  " +
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
  );
}

/** The summary as text lines, for `--dry-run` and the import's report. Amounts in USD. */
export function formatInvoiceSummary(s: InvoiceSummary): string[] {
  const invoices = s.invoices === undefined ? "" : ` in ${String(s.invoices)} invoices`;
  const counts = `${String(s.lines)} valid lines${invoices}, ${String(s.badLines)} bad lines`;
  const out = [`${counts}; invoiced ${formatCents(s.totalCents)} USD`];
  out.push(
    "by kind (lines, invoiced USD):",
    ...table(KINDS.map((k) => [k, String(s.byKind[k].lines), formatCents(s.byKind[k].cents)])),
  );
  const used = LINE_CATEGORIES.filter((c) => s.byCategory[c].lines > 0);
  out.push(
    "by category:",
    ...table(used.map((c) => [c, String(s.byCategory[c].lines), formatCents(s.byCategory[c].cents)])),
  );
  if (s.credits.lines > 0) out.push(`credits: ${s.credits.lines} lines, ${formatCents(s.credits.cents)} USD`);
  const months = [...new Set([...s.monthly.keys(), ...s.invoicedByMonth.keys()])].sort();
  if (months.length > 0) {
    const rows = months.map((m) => {
      const r = s.monthly.get(m) ?? { vps: 0n, ip: 0n, other: 0n };
      return [m, ...KINDS.map((k) => formatCents(r[k])), formatCents(s.invoicedByMonth.get(m) ?? 0n)];
    });
    out.push("by month: monthly equivalents per kind, and amounts by invoice date (USD):");
    out.push(...table([["month", ...KINDS, "invoiced"], ...rows]));
  }
  if (s.badLines > 0) {
    out.push(`bad lines${s.bad.length < s.badLines ? ` (first ${s.bad.length} of ${s.badLines})` : ""}:`);
    out.push(...s.bad.map((b) => `  line ${b.lineNumber}: ${b.reason}`));
  }
  for (const note of s.header?.notes ?? []) out.push(`note: ${note}`);
  return out;
}
