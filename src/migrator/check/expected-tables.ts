import { FORECAST_TABLES } from "./expected-forecast-tables.js";
import { SAVINGS_TABLES } from "./expected-savings-tables.js";
import { INVOICE_TABLES } from "./expected-invoice-tables.js";
import { PRICE_WATCH_TABLES } from "./expected-price-watch-tables.js";
import { ours, TS, UUID, type ExpectedTable, type Privilege } from "./table-kinds.js";

/**
 * What cost-sync's migrations and SQL expect of the tables they create or rely on, as PostgreSQL's
 * format_type() prints each type. `migrate --check` compares a database with it before anything is
 * written (docs/first-deployment.md); test/migrate-production.test.ts proves it matches what the
 * migrations build.
 */

const app = (name: string, columns: Record<string, string>, privileges: readonly Privilege[] = ["SELECT"]) =>
  ({ name, owner: "application", columns, exact: [], privileges }) satisfies ExpectedTable;

/** Columns cost-sync adds to both resource tables (20261101000100_approximate_cost). */
const costColumns = (precision: number) => ({
  approximate_cost: `numeric(${String(precision)},2)`,
  approximate_cost_override: `numeric(${String(precision)},2)`,
  approximate_cost_source: "text",
  approximate_cost_synced_at: TS,
  approximate_cost_unpriced_reason: "text",
});

const VPS_ADDED = { ...costColumns(8), tenant_id: UUID };
const withAdded = (t: ExpectedTable, added: Record<string, string>): ExpectedTable => ({
  ...t,
  columns: { ...t.columns, ...added },
  exact: Object.keys(added),
});
const IP_ADDED = costColumns(6);
/** Money columns of one type (numeric(14,2) unless said). */
const money = (names: readonly string[], type = "numeric(14,2)") => Object.fromEntries(names.map((n) => [n, type]));

export const EXPECTED_TABLES: readonly ExpectedTable[] = [
  app("tenants", { id: UUID, name: "text" }),
  app("companies", { id: UUID, tenant_id: UUID, name: "character varying(100)", created: TS }),
  app("plans", { id: UUID, name: "character varying(100)", price_monthly: "integer" }),
  app("subscriptions", {
    id: UUID,
    tenant_id: UUID,
    plan_id: UUID,
    status: "character varying(50)",
    current_period_start: TS,
    current_period_end: TS,
  }),
  app("payments", {
    subscription_id: UUID,
    amount: "numeric(10,2)",
    status: "character varying(20)",
    billing_period_start: TS,
  }),
  app("billing_analytics", { subscription_id: "text", emails_sent: "integer", period_start: TS }),
  withAdded(
    app(
      "vps_instances",
      {
        id: UUID,
        hostwinds_instance_id: "character varying(255)",
        status: "character varying(50)",
        monthly_cost: "numeric(10,2)",
      },
      ["SELECT", "UPDATE"],
    ),
    VPS_ADDED,
  ),
  withAdded(
    app("smtp_ip_addresses", { id: UUID, vps_instance_id: UUID, status: "character varying(50)" }, [
      "SELECT",
      "UPDATE",
    ]),
    IP_ADDED,
  ),
  app("domains", { id: UUID, tenant_id: UUID }),
  app("domain_ip_assignments", { domain_id: UUID, smtp_ip_address_id: UUID, status: "character varying(50)" }),
  {
    ...app(
      "system_config",
      {
        key: "character varying(255)",
        value: "jsonb",
        description: "text",
        category: "character varying(100)",
        is_sensitive: "boolean",
        updated: TS,
      },
      ["SELECT", "INSERT", "UPDATE"],
    ),
    inserts: ["key", "value", "description", "category", "is_sensitive", "updated"],
    // "cost_sync.last_successful_reconciliation" and "cost_modelling"
    minChars: { key: 40, category: 14 },
  },
  ours("cost_history", {
    id: "bigint",
    resource_kind: "text",
    resource_id: UUID,
    old_value: "numeric(8,2)",
    new_value: "numeric(8,2)",
    source: "text",
    reason: "text",
    job_id: "text",
    changed_at: TS,
    changed_by: "text",
  }),
  ours("cost_sync_events", {
    id: "bigint",
    resource_kind: "text",
    resource_id: UUID,
    reason: "text",
    created_at: TS,
    relayed_at: TS,
  }),
  ours("cost_reconciliation_runs", {
    id: UUID,
    job_id: "text",
    trigger: "text",
    status: "text",
    started_at: TS,
    finished_at: TS,
    cursor_vps_id: UUID,
    ...Object.fromEntries(
      ["vps_checked", "vps_changed", "vps_unpriced", "vps_failed", "ip_checked", "ip_changed", "anomalies"].map((c) => [
        c,
        "integer",
      ]),
    ),
    hostwinds_calls: "integer",
    total_before: "numeric(14,2)",
    total_after: "numeric(14,2)",
    monthly_cost_difference: "numeric(14,2)",
    error: "text",
    vps_skipped: "integer",
    ip_skipped: "integer",
    calls_list: "integer",
    calls_learn: "integer",
    calls_verify: "integer",
    calls_fallback: "integer",
    untracked_instances: "integer",
    untracked_unpriced: "integer",
    untracked_monthly_cost: "numeric(12,2)",
    ghost_rows: "integer",
  }),
  ours("cost_anomalies", {
    id: "bigint",
    run_id: UUID,
    resource_kind: "text",
    resource_id: UUID,
    old_value: "numeric(8,2)",
    new_value: "numeric(8,2)",
    change_usd: "numeric(10,2)",
    change_pct: "numeric(10,2)",
    detected_at: TS,
    invoice_month: "date",
    price_change_id: "bigint",
    state: "text",
    acknowledged_by: "text",
    acknowledged_at: TS,
    note: "text",
    resolved_by: "text",
    resolved_at: TS,
    resolution_note: "text",
  }),
  ours("cost_reconciliation_unpriced", { run_id: UUID, vps_id: UUID, serviceid: "text", reason: "text" }),
  ours("cost_reconciliation_groups", {
    run_id: UUID,
    group_key: "text",
    mode: "text",
    rid: "text",
    members: "integer",
    sampled: "integer",
    reason: "text",
    plan: "jsonb",
  }),
  ours("cost_catalogue_mismatches", {
    run_id: UUID,
    group_key: "text",
    serviceid: "text",
    catalogue_price: "text",
    instance_price: "text",
  }),
  ours("cost_untracked_instances", {
    run_id: UUID,
    serviceid: "text",
    hostname: "text",
    main_ip: "text",
    plan: "text",
    monthly_cost: "numeric(8,2)",
    unpriced_reason: "text",
    status: "text",
  }),
  ours("cost_ghost_rows", { run_id: UUID, vps_id: UUID, serviceid: "text", hostwinds_status: "text" }),
  ours("cost_listed_instances", { run_id: UUID, serviceid: "text", hostname: "text", status: "text" }),
  // Month close (20261126300200_month_close): grouped to keep this list readable.
  ours("cost_month_closes", {
    ...{ id: "bigint", month: "date", closed_at: TS, closed_by: "text", trigger: "text", reason: "text" },
    ...{ run_id: UUID, figures_as_of: TS, tenants: "integer", margin_percent: "numeric(14,2)" },
    ...money(["vps_cost", "ip_cost", "total_cost", "unallocated_vps_cost", "unallocated_ip_cost", "revenue", "margin"]),
    ...{ untracked_monthly_cost: "numeric(12,2)", untracked_instances: "integer", ghost_rows: "integer" },
    ...{ untracked_checked_at: TS, invoiced_usd: "numeric(14,2)", invoice_accuracy: "numeric(7,4)" },
    ...{ other_hostwinds_spend_usd: "numeric(14,2)", reopened_at: TS, reopened_by: "text", reopen_reason: "text" },
    payments_received: "numeric(14,2)",
    // Unit economics (20261207500000_savings).
    ...{ emails: "bigint", email_basis: "text", cost_per_1000_emails: "numeric(14,4)" },
  }),
  ours("cost_month_close_tenants", {
    ...{ close_id: "bigint", month: "date", tenant_id: UUID, health: "text" },
    ...money(["vps_cost", "ip_cost", "total_cost", "revenue", "margin", "margin_percent"]),
    ...{ emails: "bigint", email_basis: "text", cost_per_1000_emails: "numeric(14,4)" },
  }),
  ours("cost_sync_setting_changes", {
    id: "bigint",
    key: "text",
    old_value: "jsonb",
    new_value: "jsonb",
    changed_by: "text",
    reason: "text",
    changed_at: TS,
  }),
  ...INVOICE_TABLES,
  ...PRICE_WATCH_TABLES,
  ...FORECAST_TABLES,
  ...SAVINGS_TABLES,
];

/** Prisma's bookkeeping table, which `migrate` creates with Prisma's own DDL. */
export const PRISMA_MIGRATIONS_TABLE = "_prisma_migrations";
