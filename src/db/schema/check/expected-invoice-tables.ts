import type { ExpectedTable } from "./expected-tables.js";

/** Kept apart from expected-tables.ts for its length; the same conventions (see there). */
const TS = "timestamp with time zone";
const UUID = "uuid";
const ours = (name: string, columns: Record<string, string>): ExpectedTable => ({
  name,
  owner: "cost-sync",
  columns,
  exact: Object.keys(columns),
  inserts: Object.keys(columns),
  privileges: ["SELECT", "INSERT", "UPDATE"],
});

/** The invoice import's tables (20261126300100_invoices). */
export const INVOICE_TABLES: readonly ExpectedTable[] = [
  ours("invoice_lines", {
    invoice_number: "text",
    line_no: "integer",
    file_line: "integer",
    invoice_date: "date",
    service_id: "text",
    hostname: "text",
    ip: "text",
    description: "text",
    amount_usd: "numeric(12,2)",
    kind: "text",
    category: "text",
    period_start: "date",
    period_end: "date",
    monthly_method: "text",
    monthly_usd: "numeric(12,2)",
    first_month: "date",
    month_usd: "numeric(12,2)[]",
    matched: "text",
    matched_by: "text",
    vps_id: UUID,
    ip_id: UUID,
    untracked_serviceid: "text",
    imported_by: "text",
    imported_at: TS,
  }),
  ours("invoice_vps_months", {
    month: "date",
    vps_id: UUID,
    invoiced_usd: "numeric(12,2)",
    invoice_lines: "integer",
    modelled_usd: "numeric(8,2)",
    modelled_from: "text",
  }),
  ours("invoice_month_totals", {
    month: "date",
    total_usd: "numeric(14,2)",
    ip_lines: "integer",
    ip_invoiced_usd: "numeric(14,2)",
    ip_typical_usd: "numeric(12,2)",
    other_lines: "integer",
    other_spend_usd: "numeric(14,2)",
    unmatched_lines: "integer",
    unmatched_usd: "numeric(14,2)",
  }),
  ours("vps_monthly_cost_changes", {
    id: "bigint",
    vps_id: UUID,
    old_value: "numeric(10,2)",
    new_value: "numeric(10,2)",
    invoice_month: "date",
    source: "text",
    reason: "text",
    changed_by: "text",
    changed_at: TS,
  }),
];
