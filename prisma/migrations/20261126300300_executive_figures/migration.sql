-- Executive figures with one meaning (issue 15; docs/executive.md). Every statement is safe to rerun.
--
-- 1. Two margins, two names. The seed's `monthly_profit` is subscription revenue - cost in
--    executive_business_summary but payments received - cost in business_cost_allocation. Both
--    views keep `monthly_profit` where it was, with the meaning it had there (the seed's dashboard
--    and validation queries read it), and gain the two unambiguous figures side by side:
--      monthly_margin = monthly subscription revenue - modelled cost
--      payment_margin = payments received            - modelled cost
--    CREATE OR REPLACE VIEW may only append columns, so the new ones come last.
-- 2. executive_fleet_summary: the fleet in five rows (row_kind) whose costs add up to the whole
--    modelled fleet plus the untracked spend. A separate view, not extra rows in the per-tenant
--    views: those are granted to application_service (tenants' admin panels) and read by the
--    seed's queries, which count, average and join tenant rows; a row with no tenant would skew
--    them, and fleet figures must never reach a tenant. Only fleet-reading roles get it.
-- 3. cost_anomalies_recent: the anomalies without anything that names a tenant, for executives.

-- ---------------------------------------------------------------------------
-- 1. The per-tenant views, columns as in 20261101000400, then the new ones.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW executive_business_summary WITH (security_barrier) AS
SELECT x.tenant_id,
       x.company_name,
       x.plan_name,
       x.current_period_start,
       x.current_period_end,
       x.monthly_subscription_revenue,
       x.infrastructure_costs,
       x.email_service_costs,
       x.infrastructure_costs AS total_infrastructure_cost,
       x.email_service_costs AS total_email_service_cost,
       x.total_operational_cost,
       x.total_operational_cost AS total_monthly_cost,
       x.monthly_profit,
       x.gross_margin_ratio,
       x.gross_margin_percent,
       x.cost_efficiency_score,
       x.business_health_status,
       x.refreshed_at AS cost_attribution_refreshed_at,
       CURRENT_DATE AS dashboard_date,
       x.monthly_profit AS monthly_margin,
       x.payments_received,
       x.payments_profit AS payment_margin
  FROM tenant_business_snapshot x
 WHERE (SELECT cost_sync_sees_all_tenants()) OR x.tenant_id = (SELECT cost_sync_current_tenant());

COMMENT ON COLUMN executive_business_summary.monthly_profit IS
'Kept for the seed''s queries; in this view it is monthly_margin (subscription revenue - modelled cost). In business_cost_allocation the same name is payment_margin. New readers: use monthly_margin or payment_margin.';
COMMENT ON COLUMN executive_business_summary.monthly_margin IS
'monthly_subscription_revenue - total_operational_cost: what the plans bring in against the modelled Hostwinds cost, USD per month.';
COMMENT ON COLUMN executive_business_summary.payments_received IS
'Succeeded payments for the current periods of the tenant''s active subscriptions (revenue actually received).';
COMMENT ON COLUMN executive_business_summary.payment_margin IS
'payments_received - total_operational_cost: what was actually paid against the modelled Hostwinds cost, USD per month.';

CREATE OR REPLACE VIEW business_cost_allocation WITH (security_barrier) AS
SELECT x.tenant_id,
       x.company_name,
       x.plan_name,
       x.monthly_subscription_revenue AS price_monthly,
       x.infrastructure_costs AS total_infrastructure_cost,
       x.email_service_costs AS total_email_service_cost,
       x.emails_sent_30d,
       x.cost_per_email_delivered,
       x.total_operational_cost AS total_monthly_cost,
       x.payments_received,
       x.payments_profit AS monthly_profit,
       x.business_efficiency_ratio,
       x.refreshed_at AS cost_attribution_refreshed_at,
       x.monthly_profit AS monthly_margin,
       x.payments_profit AS payment_margin
  FROM tenant_business_snapshot x
 WHERE (SELECT cost_sync_sees_all_tenants()) OR x.tenant_id = (SELECT cost_sync_current_tenant());

COMMENT ON COLUMN business_cost_allocation.monthly_profit IS
'Kept for the seed''s queries; in this view it is payment_margin (payments received - modelled cost). In executive_business_summary the same name is monthly_margin. New readers: use monthly_margin or payment_margin.';
COMMENT ON COLUMN business_cost_allocation.monthly_margin IS
'price_monthly - total_monthly_cost: subscription revenue against the modelled Hostwinds cost, USD per month.';
COMMENT ON COLUMN business_cost_allocation.payment_margin IS
'payments_received - total_monthly_cost: payments actually received against the modelled Hostwinds cost, USD per month.';

-- ---------------------------------------------------------------------------
-- 2. The fleet. Costs come from the attribution alone (tenant, unsubscribed and unallocated
--    rows partition it to the cent), so the rows add up to sum(vps_instances.approximate_cost) +
--    sum(smtp_ip_addresses.approximate_cost) as of its refresh, plus the untracked spend of the
--    latest reconciliation that checked. Revenue and payments come from the snapshot; both are
--    refreshed together (src/db/attribution.ts).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW executive_fleet_summary WITH (security_barrier) AS
WITH attributed AS (
    SELECT CASE WHEN a.tenant_id IS NULL THEN 'unallocated'
                WHEN s.tenant_id IS NULL THEN 'unsubscribed'
                ELSE 'tenant' END AS row_kind,
           a.tenant_id, a.vps_cost, a.ip_cost, a.refreshed_at
      FROM cost_attribution_by_tenant a
      LEFT JOIN tenant_business_snapshot s ON s.tenant_id = a.tenant_id
),
kinds (row_kind, position) AS (
    VALUES ('tenant', 1), ('unsubscribed', 2), ('unallocated', 3)
),
cost_rows AS (
    SELECT k.row_kind, k.position,
           CASE WHEN k.row_kind = 'tenant' THEN (SELECT count(*) FROM tenant_business_snapshot)
                WHEN k.row_kind = 'unsubscribed' THEN count(a.tenant_id) END AS tenants,
           CASE WHEN k.row_kind = 'tenant' THEN (SELECT COALESCE(sum(monthly_subscription_revenue), 0) FROM tenant_business_snapshot)
                ELSE 0 END::numeric(14,2) AS revenue,
           CASE WHEN k.row_kind = 'tenant' THEN (SELECT COALESCE(sum(payments_received), 0) FROM tenant_business_snapshot)
                ELSE 0 END::numeric(14,2) AS payments,
           COALESCE(sum(a.vps_cost), 0)::numeric(14,2) AS vps_cost,
           COALESCE(sum(a.ip_cost), 0)::numeric(14,2) AS ip_cost,
           0::numeric(14,2) AS untracked_cost,
           NULL::int AS untracked_instances,
           NULL::int AS untracked_unpriced,
           CASE WHEN k.row_kind = 'tenant' THEN (SELECT max(refreshed_at) FROM tenant_business_snapshot)
                ELSE (SELECT max(refreshed_at) FROM cost_attribution_by_tenant) END AS as_of
      FROM kinds k
      LEFT JOIN attributed a ON a.row_kind = k.row_kind
     GROUP BY k.row_kind, k.position
),
untracked_row AS (
    -- NULL cost and counts: no reconciliation has checked the account yet (not known, not zero).
    SELECT 'untracked'::text AS row_kind, 4 AS position, NULL::bigint AS tenants,
           0::numeric(14,2) AS revenue, 0::numeric(14,2) AS payments,
           0::numeric(14,2) AS vps_cost, 0::numeric(14,2) AS ip_cost,
           u.untracked_monthly_cost::numeric(14,2) AS untracked_cost,
           u.untracked_instances, u.untracked_unpriced, u.checked_at AS as_of
      FROM (SELECT 1) one
      LEFT JOIN cost_untracked_latest u ON true
),
parts AS (
    SELECT * FROM cost_rows
    UNION ALL
    SELECT * FROM untracked_row
),
fleet AS (
    SELECT 'fleet'::text AS row_kind, 5 AS position, sum(tenants)::bigint AS tenants,
           sum(revenue)::numeric(14,2) AS revenue, sum(payments)::numeric(14,2) AS payments,
           sum(vps_cost)::numeric(14,2) AS vps_cost, sum(ip_cost)::numeric(14,2) AS ip_cost,
           -- unknown stays unknown (NULL) rather than reading as 0
           (CASE WHEN bool_and(untracked_cost IS NOT NULL) THEN sum(untracked_cost) END)::numeric(14,2) AS untracked_cost,
           sum(untracked_instances)::int AS untracked_instances, sum(untracked_unpriced)::int AS untracked_unpriced,
           -- the oldest of the parts: every figure in the row is at least this fresh
           min(as_of) AS as_of
      FROM parts
),
all_rows AS (
    SELECT * FROM parts
    UNION ALL
    SELECT * FROM fleet
)
SELECT r.row_kind,
       r.position::smallint AS row_position,
       r.tenants,
       r.revenue AS monthly_subscription_revenue,
       r.payments AS payments_received,
       r.vps_cost AS infrastructure_costs,
       r.ip_cost AS email_service_costs,
       r.untracked_cost,
       (r.vps_cost + r.ip_cost + COALESCE(r.untracked_cost, 0))::numeric(14,2) AS total_operational_cost,
       (r.revenue - (r.vps_cost + r.ip_cost + COALESCE(r.untracked_cost, 0)))::numeric(14,2) AS monthly_margin,
       (r.payments - (r.vps_cost + r.ip_cost + COALESCE(r.untracked_cost, 0)))::numeric(14,2) AS payment_margin,
       (CASE WHEN r.revenue > 0
             THEN round((r.revenue - (r.vps_cost + r.ip_cost + COALESCE(r.untracked_cost, 0))) / r.revenue * 100, 2)
             END)::numeric(14,2) AS gross_margin_percent,
       r.untracked_instances,
       r.untracked_unpriced,
       r.as_of
  FROM all_rows r
 -- Not granted to application_service; the predicate keeps fleet rows from a tenant session even
 -- if someone grants it later.
 WHERE (SELECT cost_sync_sees_all_tenants());

COMMENT ON VIEW executive_fleet_summary IS
'The whole fleet in five rows (row_kind tenant, unsubscribed, unallocated, untracked, fleet): modelled Hostwinds cost, revenue and margins. The first four rows add up to the fleet row. Fleet-level: only fleet-reading roles may read it, never tenants. Internal modelling, not billing.';
COMMENT ON COLUMN executive_fleet_summary.row_kind IS
'tenant: tenants with an active subscription (the sum of executive_business_summary); unsubscribed: cost attributed to tenants with no active subscription; unallocated: cost no tenant can be charged with; untracked: Hostwinds instances no vps_instances row references (latest reconciliation that checked); fleet: the sum of the four.';
COMMENT ON COLUMN executive_fleet_summary.row_position IS 'Display order, 1 to 5 (fleet last).';
COMMENT ON COLUMN executive_fleet_summary.tenants IS 'Tenants in the row (tenant, unsubscribed, and their sum on fleet); NULL where no tenant is concerned.';
COMMENT ON COLUMN executive_fleet_summary.monthly_subscription_revenue IS 'Monthly subscription revenue in USD (tenant and fleet rows; 0 elsewhere).';
COMMENT ON COLUMN executive_fleet_summary.payments_received IS 'Succeeded payments for current periods, USD (tenant and fleet rows; 0 elsewhere).';
COMMENT ON COLUMN executive_fleet_summary.infrastructure_costs IS 'Modelled monthly USD of VPS instances in the row (attribution as of its refresh).';
COMMENT ON COLUMN executive_fleet_summary.email_service_costs IS 'Modelled monthly USD of SMTP IPs in the row (attribution as of its refresh).';
COMMENT ON COLUMN executive_fleet_summary.untracked_cost IS 'Monthly USD of priced untracked Hostwinds instances (untracked and fleet rows; NULL on the untracked row when no reconciliation has checked yet).';
COMMENT ON COLUMN executive_fleet_summary.total_operational_cost IS 'infrastructure_costs + email_service_costs + untracked_cost (an unknown untracked cost counts as 0 in the fleet row). Cost only, never revenue.';
COMMENT ON COLUMN executive_fleet_summary.monthly_margin IS 'monthly_subscription_revenue - total_operational_cost, USD per month.';
COMMENT ON COLUMN executive_fleet_summary.payment_margin IS 'payments_received - total_operational_cost, USD per month.';
COMMENT ON COLUMN executive_fleet_summary.gross_margin_percent IS 'monthly_margin / monthly_subscription_revenue * 100; NULL when there is no revenue.';
COMMENT ON COLUMN executive_fleet_summary.untracked_instances IS 'Untracked Hostwinds instances found by the latest reconciliation that checked (untracked and fleet rows).';
COMMENT ON COLUMN executive_fleet_summary.untracked_unpriced IS 'Untracked instances whose price could not be read: their cost is missing from untracked_cost.';
COMMENT ON COLUMN executive_fleet_summary.as_of IS 'When the row''s figures were computed (attribution or snapshot refresh, reconciliation for untracked; the oldest of them on the fleet row).';

-- ---------------------------------------------------------------------------
-- 3. Anomalies for executives: no tenant, nothing beyond what `cost-sync anomalies` prints.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW cost_anomalies_recent WITH (security_barrier) AS
SELECT a.detected_at,
       a.run_id,
       a.resource_kind,
       a.resource_id,
       v.hostwinds_instance_id AS serviceid,
       a.old_value,
       a.new_value,
       a.change_usd,
       a.change_pct,
       (a.run_id IS NOT NULL AND a.run_id = (SELECT id FROM cost_reconciliation_runs WHERE status = 'completed'
                                               ORDER BY finished_at DESC NULLS LAST LIMIT 1)) AS in_latest_run
  FROM cost_anomalies a
  LEFT JOIN vps_instances v ON a.resource_kind = 'vps' AND v.id = a.resource_id
 WHERE a.detected_at >= now() - interval '90 days';

COMMENT ON VIEW cost_anomalies_recent IS
'Modelled cost changes beyond the anomaly thresholds detected in the last 90 days, fleet-level (no tenant). Internal modelling, not billing.';
COMMENT ON COLUMN cost_anomalies_recent.detected_at IS 'When the reconciliation found the change.';
COMMENT ON COLUMN cost_anomalies_recent.run_id IS 'The reconciliation run that found it.';
COMMENT ON COLUMN cost_anomalies_recent.resource_kind IS 'vps or ip.';
COMMENT ON COLUMN cost_anomalies_recent.resource_id IS 'The VPS or IP row (vps_instances.id or smtp_ip_addresses.id).';
COMMENT ON COLUMN cost_anomalies_recent.serviceid IS 'The VPS''s Hostwinds serviceid, to find it at Hostwinds (NULL for an IP).';
COMMENT ON COLUMN cost_anomalies_recent.old_value IS 'Modelled monthly USD before the change.';
COMMENT ON COLUMN cost_anomalies_recent.new_value IS 'Modelled monthly USD after the change.';
COMMENT ON COLUMN cost_anomalies_recent.change_usd IS 'new_value - old_value, USD per month.';
COMMENT ON COLUMN cost_anomalies_recent.change_pct IS 'The change as a percentage of old_value.';
COMMENT ON COLUMN cost_anomalies_recent.in_latest_run IS 'Found by the latest completed reconciliation (what status counts as open anomalies).';

-- ---------------------------------------------------------------------------
-- Grants: fleet-level views to the fleet-reading roles only; never PUBLIC, never application_service.
-- ---------------------------------------------------------------------------
REVOKE ALL ON executive_fleet_summary, cost_anomalies_recent FROM PUBLIC;
REVOKE ALL ON executive_fleet_summary, cost_anomalies_recent FROM application_service;
GRANT SELECT ON executive_fleet_summary, cost_anomalies_recent TO business_analysts, executives;
GRANT ALL ON executive_fleet_summary, cost_anomalies_recent TO db_administrators;
