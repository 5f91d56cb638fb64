/**
 * The database objects cost-sync's migrations create, named once so that
 * `verify` checks exactly what `rollback` removes and `migrate` brings back.
 */
export const COST_CONSTRAINTS = [
  { table: "vps_instances", name: "chk_vps_approximate_cost_positive" },
  { table: "smtp_ip_addresses", name: "chk_smtp_approximate_cost_positive" },
  { table: "vps_instances", name: "chk_vps_approximate_cost_override_positive" },
  { table: "smtp_ip_addresses", name: "chk_smtp_approximate_cost_override_positive" },
] as const;

/**
 * Money columns and the CHECK constraint that keeps each one a number ≥ 0, NaN excluded (migration
 * 20261126100200_costs_reject_nan): `migrate --check` lists the rows that would block it, `verify`
 * the rows that break it.
 */
export const MONEY_GUARDS = [
  { table: "vps_instances", column: "approximate_cost", constraint: "chk_vps_approximate_cost_positive" },
  { table: "smtp_ip_addresses", column: "approximate_cost", constraint: "chk_smtp_approximate_cost_positive" },
  {
    table: "vps_instances",
    column: "approximate_cost_override",
    constraint: "chk_vps_approximate_cost_override_positive",
  },
  {
    table: "smtp_ip_addresses",
    column: "approximate_cost_override",
    constraint: "chk_smtp_approximate_cost_override_positive",
  },
  { table: "cost_history", column: "new_value", constraint: "cost_history_new_value_check" },
] as const;

/** Indexes a rollback removes (the seed's two, plus the view-support indexes). */
export const COST_INDEXES = [
  "idx_vps_instances_approximate_cost",
  "idx_smtp_ip_addresses_approximate_cost",
  "idx_subscriptions_active_tenant",
  "idx_companies_tenant",
  "idx_payments_subscription_period",
  "idx_billing_analytics_subscription_period",
  "idx_domain_ip_assignments_ip_live",
  "idx_domains_tenant",
] as const;

/** Views, in drop order (dependents first). */
export const COST_VIEWS = [
  "executive_fleet_summary",
  "cost_anomalies_recent",
  "executive_monthly_trend",
  "executive_business_summary",
  "business_cost_allocation",
  "tenant_cost_attribution",
  "cost_untracked_latest",
  "invoice_monthly_accuracy",
  "tenant_display_names",
] as const;

/** The precomputed attribution behind the views (see migration ..._cost_attribution_and_views). */
export const ATTRIBUTION_MATVIEW = "cost_attribution_by_tenant";
/** Per-tenant revenue, cost, payments and usage behind the executive views; refreshed after the attribution. */
export const SNAPSHOT_MATVIEW = "tenant_business_snapshot";

/** Triggers that turn row changes into cost-sync events. */
export const EVENT_TRIGGERS = [
  { table: "vps_instances", name: "trg_cost_sync_vps_event" },
  { table: "smtp_ip_addresses", name: "trg_cost_sync_ip_event" },
  ...[
    "domain_ip_assignments",
    "domains",
    "subscriptions",
    "plans",
    "companies",
    "payments",
    "billing_analytics",
    "tenants",
  ].map((table) => ({
    table,
    name: "trg_cost_sync_views_event",
  })),
] as const;

/** Columns cost-sync adds; `rollback --drop-columns` removes them (their data with them). */
export const COST_COLUMNS = {
  vps_instances: [
    "approximate_cost",
    "approximate_cost_override",
    "approximate_cost_source",
    "approximate_cost_synced_at",
    "approximate_cost_unpriced_reason",
  ],
  smtp_ip_addresses: [
    "approximate_cost",
    "approximate_cost_override",
    "approximate_cost_source",
    "approximate_cost_synced_at",
    "approximate_cost_unpriced_reason",
  ],
} as const;

/** The migration that creates the application's own tables: never undone. */
export const BASE_MIGRATION_SUFFIX = "_penguinmails_tables";
