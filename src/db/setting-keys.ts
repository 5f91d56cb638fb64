/** The system_config rows cost-sync owns: read and written by the data layer, seeded by `migrate`. */
export const IP_COST_CONFIG_KEY = "cost_sync.smtp_ip_monthly_cost_usd";
export const PLAN_PRICE_UNIT_CONFIG_KEY = "cost_sync.plan_price_unit";
export const LAST_RECONCILIATION_CONFIG_KEY = "cost_sync.last_successful_reconciliation";
