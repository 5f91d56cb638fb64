import type { ColumnSpec } from "./columns.js";

/**
 * The default text columns of each report (`--wide` prints every column; CSV and JSON keep them all).
 * Chosen to fit 120 characters with a company name of 20-odd characters: the name, the money, the verdict.
 */
export const REPORT_COLUMNS: Record<string, readonly ColumnSpec[]> = {
  executive: [
    { key: "name" },
    { key: "monthly_subscription_revenue", header: "REVENUE" },
    { key: "total_operational_cost", header: "COST" },
    { key: "untracked_cost", header: "UNTRACKED" },
    { key: "monthly_margin", header: "MARGIN" },
    { key: "gross_margin_percent", header: "MARGIN %" },
    { key: "business_health_status", header: "HEALTH" },
  ],
  allocation: [
    { key: "name" },
    { key: "total_monthly_cost", header: "COST" },
    { key: "untracked_cost", header: "UNTRACKED" },
    { key: "payments_received", header: "PAYMENTS" },
    { key: "payment_margin", header: "PAYMENT MARGIN" },
    { key: "monthly_margin", header: "MARGIN" },
    { key: "emails_sent_30d", header: "EMAILS 30D" },
  ],
  untracked: [
    { key: "kind" },
    { key: "serviceid", header: "SERVICEID" },
    { key: "vps_id", header: "VPS" },
    { key: "hostname" },
    { key: "plan" },
    { key: "hostwinds_status", header: "STATUS" },
    { key: "monthly_cost", header: "COST" },
  ],
  trend: [
    { key: "month" },
    { key: "revenue" },
    { key: "cost" },
    { key: "margin" },
    { key: "margin_percent", header: "MARGIN %" },
    { key: "health" },
    { key: "cost_change", header: "COST Δ" },
    { key: "cost_change_percent", header: "COST Δ %" },
    { key: "margin_change", header: "MARGIN Δ" },
    { key: "untracked_monthly_cost", header: "UNTRACKED" },
  ],
};

/**
 * A report row with the one column people read first: the tenant's name, or for a fleet row what it
 * is (`(unallocated)`). Only the text table shows it; the row keeps every column of its own.
 */
export function withName(row: Record<string, string | null>): Record<string, string | null> {
  const kind = row.row_kind;
  return { ...row, name: kind === "tenant" || kind === undefined ? (row.company_name ?? "") : `(${kind ?? ""})` };
}

/**
 * The JSON of a report: an object with named arrays (docs/cli.md). executive and allocation: `tenants`
 * (rowKind tenant) and `fleet` (unsubscribed, unallocated, untracked and the fleet row); untracked:
 * `untracked` and `ghosts`.
 */
export function reportJson(name: string, rows: readonly Record<string, unknown>[]): Record<string, unknown[]> {
  if (name === "untracked")
    return { untracked: rows.filter((r) => r.kind === "untracked"), ghosts: rows.filter((r) => r.kind === "ghost") };
  return { tenants: rows.filter((r) => r.row_kind === "tenant"), fleet: rows.filter((r) => r.row_kind !== "tenant") };
}
