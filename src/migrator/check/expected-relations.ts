/**
 * The views, materialised views and indexes cost-sync's migrations create, with the columns of
 * the views (a plain view is replaced with CREATE OR REPLACE VIEW, which PostgreSQL allows only
 * when the existing columns come first, unchanged; a materialised view is created IF NOT EXISTS,
 * so one of another shape would stay). Compared by `migrate --check` (docs/first-deployment.md).
 */

const TS = "timestamp with time zone";
const money = "numeric(14,2)";

const SNAPSHOT_HEAD: [string, string][] = [
  ["tenant_id", "uuid"],
  ["company_name", "character varying(255)"],
  ["plan_name", "character varying(100)"],
];

export const EXPECTED_VIEWS: Readonly<Record<string, readonly [string, string][]>> = {
  tenant_cost_attribution: [
    ["tenant_id", "uuid"],
    ["vps_cost", money],
    ["ip_cost", money],
    ["total_cost", "numeric"],
    ["vps_count", "bigint"],
    ["ip_count", "bigint"],
    ["refreshed_at", TS],
  ],
  executive_business_summary: [
    ...SNAPSHOT_HEAD,
    ["current_period_start", TS],
    ["current_period_end", TS],
    ["monthly_subscription_revenue", "numeric"],
    ["infrastructure_costs", money],
    ["email_service_costs", money],
    ["total_infrastructure_cost", money],
    ["total_email_service_cost", money],
    ["total_operational_cost", "numeric"],
    ["total_monthly_cost", "numeric"],
    ["monthly_profit", "numeric"],
    ["gross_margin_ratio", money],
    ["gross_margin_percent", money],
    ["cost_efficiency_score", "numeric(5,2)"],
    ["business_health_status", "text"],
    ["cost_attribution_refreshed_at", TS],
    ["dashboard_date", "date"],
    // 20261126300300_executive_figures: the two margins under names of their own
    ["monthly_margin", "numeric"],
    ["payments_received", money],
    ["payment_margin", "numeric"],
  ],
  business_cost_allocation: [
    ...SNAPSHOT_HEAD,
    ["price_monthly", "numeric"],
    ["total_infrastructure_cost", money],
    ["total_email_service_cost", money],
    ["emails_sent_30d", "bigint"],
    ["cost_per_email_delivered", "numeric(14,4)"],
    ["total_monthly_cost", "numeric"],
    ["payments_received", money],
    ["monthly_profit", "numeric"],
    ["business_efficiency_ratio", money],
    ["cost_attribution_refreshed_at", TS],
    ["monthly_margin", "numeric"],
    ["payment_margin", "numeric"],
  ],
  executive_fleet_summary: [
    ["row_kind", "text"],
    ["row_position", "smallint"],
    ["tenants", "bigint"],
    ["monthly_subscription_revenue", money],
    ["payments_received", money],
    ["infrastructure_costs", money],
    ["email_service_costs", money],
    ["untracked_cost", money],
    ["total_operational_cost", money],
    ["monthly_margin", money],
    ["payment_margin", money],
    ["gross_margin_percent", money],
    ["untracked_instances", "integer"],
    ["untracked_unpriced", "integer"],
    ["as_of", TS],
  ],
  cost_anomalies_recent: [
    ["detected_at", TS],
    ["run_id", "uuid"],
    ["resource_kind", "text"],
    ["resource_id", "uuid"],
    ["serviceid", "character varying(255)"],
    ["old_value", "numeric(8,2)"],
    ["new_value", "numeric(8,2)"],
    ["change_usd", "numeric(10,2)"],
    ["change_pct", "numeric(10,2)"],
    ["in_latest_run", "boolean"],
    ["state", "text"],
  ],
  tenant_display_names: [
    ["tenant_id", "uuid"],
    ["display_name", "text"],
    ["tenant_name", "text"],
    ["company_name", "text"],
  ],
};

/** Materialised views: their column names, in order. */
export const EXPECTED_MATVIEWS: Readonly<Record<string, readonly string[]>> = {
  cost_attribution_by_tenant: [
    "attribution_key",
    "tenant_id",
    "vps_cost",
    "ip_cost",
    "vps_count",
    "ip_count",
    "refreshed_at",
  ],
  tenant_business_snapshot: [
    "tenant_id",
    "plan_name",
    "current_period_start",
    "current_period_end",
    "monthly_subscription_revenue",
    "company_name",
    "infrastructure_costs",
    "email_service_costs",
    "payments_received",
    "emails_sent_30d",
    "cost_attribution_refreshed_at",
    "refreshed_at",
    "total_operational_cost",
    "monthly_profit",
    "gross_margin_ratio",
    "gross_margin_percent",
    "cost_efficiency_score",
    "business_health_status",
    "cost_per_email_delivered",
    "payments_profit",
    "business_efficiency_ratio",
  ],
};

/** Every index the migrations create (CREATE INDEX IF NOT EXISTS: a name taken elsewhere is skipped silently). */
export const EXPECTED_INDEXES: Readonly<Record<string, string>> = {
  idx_vps_instances_approximate_cost: "vps_instances",
  idx_smtp_ip_addresses_approximate_cost: "smtp_ip_addresses",
  idx_vps_instances_tenant_id: "vps_instances",
  idx_smtp_ip_addresses_vps_instance_id: "smtp_ip_addresses",
  uq_cost_history_change: "cost_history",
  uq_cost_attribution_by_tenant_key: "cost_attribution_by_tenant",
  idx_cost_attribution_by_tenant_tenant: "cost_attribution_by_tenant",
  uq_tenant_business_snapshot_tenant: "tenant_business_snapshot",
  idx_tenant_business_snapshot_efficiency: "tenant_business_snapshot",
  idx_subscriptions_active_tenant: "subscriptions",
  idx_companies_tenant: "companies",
  idx_payments_subscription_period: "payments",
  idx_billing_analytics_subscription_period: "billing_analytics",
  idx_domain_ip_assignments_ip_live: "domain_ip_assignments",
  idx_domains_tenant: "domains",
  idx_cost_sync_events_pending: "cost_sync_events",
  idx_cost_sync_events_vps_recent: "cost_sync_events",
  idx_cost_reconciliation_runs_started: "cost_reconciliation_runs",
  idx_cost_sync_setting_changes_key: "cost_sync_setting_changes",
};

/** The NOLOGIN group roles of the seed's access matrix (20261101000400). */
export const GROUP_ROLES = ["business_analysts", "application_service", "db_administrators", "executives"] as const;
