-- One meaning for "modelled cost" (issue 21, "One meaning per figure"; docs/executive.md). Every
-- statement is safe to rerun.
--
-- Modelled cost is attributed plus unallocated: every cent of vps_instances.approximate_cost and
-- smtp_ip_addresses.approximate_cost, split by the attribution. It is what a month close freezes
-- (cost_month_closes.total_cost), what executive_monthly_trend and `report trend` show and what
-- Grafana's executive dashboard sums. executive_fleet_summary (20261126300300_executive_figures) put
-- the untracked Hostwinds spend inside its fleet row's total_operational_cost and margins, so the
-- executive page and `report executive` said another figure. From here on:
--   - the fleet row's total_operational_cost, monthly_margin, payment_margin and gross_margin_percent
--     leave untracked spend out; its untracked_cost column keeps it beside them, labelled;
--   - the untracked row has no modelled cost: total_operational_cost and both margins are NULL, its
--     spend is in untracked_cost alone. The rows before the fleet row still add up to it (SUM skips NULL).
-- Same columns, same types, same order: only the expressions change (CREATE OR REPLACE VIEW). Grants
-- and the view's own comments stay; the comments whose meaning changed are rewritten below.

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
           -- beside the modelled cost, never in it; unknown stays unknown (NULL) rather than reading as 0
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
       -- modelled cost = VPS + IP (attributed + unallocated); the untracked row has none
       (CASE WHEN r.row_kind <> 'untracked' THEN r.vps_cost + r.ip_cost END)::numeric(14,2) AS total_operational_cost,
       (CASE WHEN r.row_kind <> 'untracked' THEN r.revenue - (r.vps_cost + r.ip_cost) END)::numeric(14,2) AS monthly_margin,
       (CASE WHEN r.row_kind <> 'untracked' THEN r.payments - (r.vps_cost + r.ip_cost) END)::numeric(14,2) AS payment_margin,
       (CASE WHEN r.revenue > 0
             THEN round((r.revenue - (r.vps_cost + r.ip_cost)) / r.revenue * 100, 2)
             END)::numeric(14,2) AS gross_margin_percent,
       r.untracked_instances,
       r.untracked_unpriced,
       r.as_of
  FROM all_rows r
 -- Not granted to application_service; the predicate keeps fleet rows from a tenant session even
 -- if someone grants it later.
 WHERE (SELECT cost_sync_sees_all_tenants());

COMMENT ON VIEW executive_fleet_summary IS
'The whole fleet in five rows (row_kind tenant, unsubscribed, unallocated, untracked, fleet): modelled Hostwinds cost (attributed + unallocated), revenue and margins, with untracked spend beside the modelled cost, never in it. The first four rows add up to the fleet row. Fleet-level: only fleet-reading roles may read it, never tenants. Internal modelling, not billing.';
COMMENT ON COLUMN executive_fleet_summary.untracked_cost IS 'Monthly USD of priced untracked Hostwinds instances (untracked and fleet rows; NULL when no reconciliation has checked yet). Beside total_operational_cost, never in it.';
COMMENT ON COLUMN executive_fleet_summary.total_operational_cost IS 'Modelled cost: infrastructure_costs + email_service_costs (on the fleet row, attributed + unallocated: what a month close freezes). Untracked spend is not in it (see untracked_cost); NULL on the untracked row. Cost only, never revenue.';
COMMENT ON COLUMN executive_fleet_summary.monthly_margin IS 'monthly_subscription_revenue - total_operational_cost, USD per month (untracked spend not deducted); NULL on the untracked row.';
COMMENT ON COLUMN executive_fleet_summary.payment_margin IS 'payments_received - total_operational_cost, USD per month (untracked spend not deducted); NULL on the untracked row.';
COMMENT ON COLUMN executive_fleet_summary.gross_margin_percent IS 'monthly_margin / monthly_subscription_revenue * 100; NULL when there is no revenue.';
