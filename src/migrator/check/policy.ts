/**
 * What `migrate --check` cannot read from the schema snapshot (../snapshot/schema-snapshot.json):
 * which tables are PenguinMails' own, which of their columns cost-sync's SQL reads or adds, and what
 * the worker and the CLI do with each table. Every other table of the snapshot is cost-sync's own:
 * created by its migrations, every column exactly as the snapshot has it, written by cost-sync.
 * The fix each finding prints is written beside the check that finds it (columns.ts, access.ts…).
 */

/** What the worker and the CLI may do with a table. */
export type Privilege = "SELECT" | "INSERT" | "UPDATE";

export interface ApplicationTable {
  /** Columns cost-sync's SQL reads: a production table may differ in type within a family (warn). */
  reads: readonly string[];
  /** Columns cost-sync's migrations add to the table: their type must match exactly. */
  adds?: readonly string[];
  /** What cost-sync does with it; SELECT unless said. */
  privileges?: readonly Privilege[];
  /** Columns cost-sync's INSERTs give (only for a table it inserts into); any other NOT NULL column needs a default. */
  inserts?: readonly string[];
  /** Characters the longest value cost-sync writes into a text column needs. */
  minChars?: Readonly<Record<string, number>>;
  /** Its migrations insert rows but never ALTER, index, trigger or comment it: ownership is not needed. */
  unaltered?: true;
}

/** Columns cost-sync adds to both resource tables (20261101000100_approximate_cost). */
const COST_COLUMNS = [
  "approximate_cost",
  "approximate_cost_override",
  "approximate_cost_source",
  "approximate_cost_synced_at",
  "approximate_cost_unpriced_reason",
];
const SYSTEM_CONFIG_COLUMNS = ["key", "value", "description", "category", "is_sensitive", "updated"];

/** PenguinMails' tables (docs/data-model.md), which cost-sync's migrations create only where missing. */
export const APPLICATION_TABLES: Readonly<Record<string, ApplicationTable>> = {
  tenants: { reads: ["id", "name"] },
  companies: { reads: ["id", "tenant_id", "name", "created"] },
  plans: { reads: ["id", "name", "price_monthly"] },
  subscriptions: {
    reads: ["id", "tenant_id", "plan_id", "status", "current_period_start", "current_period_end"],
  },
  payments: { reads: ["subscription_id", "amount", "status", "billing_period_start"] },
  billing_analytics: { reads: ["subscription_id", "emails_sent", "period_start"] },
  vps_instances: {
    reads: ["id", "hostwinds_instance_id", "status", "monthly_cost"],
    adds: [...COST_COLUMNS, "tenant_id"],
    privileges: ["SELECT", "UPDATE"],
  },
  smtp_ip_addresses: {
    reads: ["id", "vps_instance_id", "status"],
    adds: COST_COLUMNS,
    privileges: ["SELECT", "UPDATE"],
  },
  domains: { reads: ["id", "tenant_id"] },
  domain_ip_assignments: { reads: ["domain_id", "smtp_ip_address_id", "status"] },
  system_config: {
    reads: SYSTEM_CONFIG_COLUMNS,
    privileges: ["SELECT", "INSERT", "UPDATE"],
    inserts: SYSTEM_CONFIG_COLUMNS,
    // "cost_sync.last_successful_reconciliation" and "cost_modelling"
    minChars: { key: 40, category: 14 },
    unaltered: true,
  },
};

/** Prisma's bookkeeping table, which `migrate` creates with Prisma's own DDL. */
export const PRISMA_MIGRATIONS_TABLE = "_prisma_migrations";
