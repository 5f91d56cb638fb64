-- Closes a month (docs/month-close.md): freezes every tenant's figures and the fleet's in one
-- statement, as of the month's end, not as of now: the modelled cost is rebuilt from cost_history
-- at the month's last instant (cost_attribution_as_of, docs/forecast.md), so a close made later (or
-- a re-close after a reopen) after a price change still freezes the month's own cost. Revenue is the
-- month's: the subscriptions that were live in it (created by its end, not ended before it began),
-- and the payments that succeeded for it. "Not closed" is re-checked here, not only by the caller:
-- the INSERT's ON CONFLICT on uq_cost_month_closes_in_force inserts nothing when a close of the
-- month is in force, one made concurrently included (this statement then waits for it to commit),
-- and with no close row no tenant row is written. Neither is anything for the current or a future
-- month. Cost is in whole cents already; the percentages are the only rounding (2 places).
WITH bounds AS (
    SELECT :month::date AS first_day, cost_month_last_instant(:month::date) AS last_instant
),
unit AS (
    SELECT CASE WHEN COALESCE((SELECT value #>> '{}' FROM system_config WHERE key = 'cost_sync.plan_price_unit'), 'cents') = 'dollars'
                THEN 1.0 ELSE 100.0 END AS divisor
),
month_revenue AS (
    SELECT s.tenant_id, sum((COALESCE(p.price_monthly, 0) / unit.divisor)::numeric(12,2)) AS revenue
      FROM subscriptions s JOIN plans p ON p.id = s.plan_id CROSS JOIN unit CROSS JOIN bounds b
     WHERE s.tenant_id IS NOT NULL
       AND (s.created IS NULL OR s.created <= b.last_instant)
       AND (s.status IN ('active', 'past_due')
            OR (s.status IN ('canceled', 'unpaid') AND s.updated >= b.first_day::timestamptz))
     GROUP BY s.tenant_id
),
month_payments AS (
    SELECT COALESCE(sum(y.amount), 0)::numeric(14,2) AS usd
      FROM payments y CROSS JOIN bounds b
     WHERE y.status = 'succeeded'
       AND COALESCE(y.billing_period_start, y.processed) >= b.first_day::timestamptz
       AND COALESCE(y.billing_period_start, y.processed) <= b.last_instant
),
attribution AS (
    SELECT a.tenant_id, a.vps_cost, a.ip_cost FROM bounds b CROSS JOIN LATERAL cost_attribution_as_of(b.last_instant) a
),
per_tenant AS (
    SELECT COALESCE(a.tenant_id, s.tenant_id) AS tenant_id,
           COALESCE(a.vps_cost, 0)::numeric(14,2) AS vps_cost,
           COALESCE(a.ip_cost, 0)::numeric(14,2) AS ip_cost,
           COALESCE(s.revenue, 0)::numeric(14,2) AS revenue
      FROM (SELECT tenant_id, vps_cost, ip_cost FROM attribution WHERE tenant_id IS NOT NULL) a
      FULL JOIN month_revenue s ON s.tenant_id = a.tenant_id
),
figures AS (
    -- margin and health as tenant_business_snapshot defines them, for tenants with cost but no
    -- active subscription too (revenue 0)
    SELECT tenant_id, vps_cost, ip_cost, (vps_cost + ip_cost)::numeric(14,2) AS total_cost, revenue,
           (revenue - (vps_cost + ip_cost))::numeric(14,2) AS margin,
           (CASE WHEN revenue > 0 THEN round((revenue - (vps_cost + ip_cost)) / revenue * 100, 2) END)::numeric(14,2) AS margin_percent,
           CASE WHEN revenue > (vps_cost + ip_cost) * 2 THEN 'Excellent'
                WHEN revenue > (vps_cost + ip_cost) * 1.5 THEN 'Good'
                WHEN revenue > (vps_cost + ip_cost) THEN 'Monitor'
                ELSE 'Critical Action Required' END AS health
      FROM per_tenant
),
fleet AS (
    SELECT (SELECT count(*) FROM figures)::int AS tenants,
           COALESCE(sum(a.vps_cost), 0)::numeric(14,2) AS vps_cost,
           COALESCE(sum(a.ip_cost), 0)::numeric(14,2) AS ip_cost,
           COALESCE(sum(a.vps_cost) FILTER (WHERE a.tenant_id IS NULL), 0)::numeric(14,2) AS unallocated_vps_cost,
           COALESCE(sum(a.ip_cost) FILTER (WHERE a.tenant_id IS NULL), 0)::numeric(14,2) AS unallocated_ip_cost,
           (SELECT COALESCE(sum(revenue), 0) FROM figures)::numeric(14,2) AS revenue,
           (SELECT last_instant FROM bounds) AS figures_as_of
      FROM attribution a
),
closed AS (
    INSERT INTO cost_month_closes (month, closed_by, trigger, reason, run_id, figures_as_of, tenants,
                                   vps_cost, ip_cost, total_cost, unallocated_vps_cost, unallocated_ip_cost,
                                   revenue, margin, margin_percent,
                                   untracked_monthly_cost, untracked_instances, ghost_rows, untracked_checked_at,
                                   invoiced_usd, invoice_accuracy, other_hostwinds_spend_usd, payments_received)
    SELECT :month::date, :closedBy, :trigger, :reason, :runId::uuid, f.figures_as_of, f.tenants,
           f.vps_cost, f.ip_cost, f.vps_cost + f.ip_cost, f.unallocated_vps_cost, f.unallocated_ip_cost,
           f.revenue, f.revenue - (f.vps_cost + f.ip_cost),
           CASE WHEN f.revenue > 0 THEN round((f.revenue - (f.vps_cost + f.ip_cost)) / f.revenue * 100, 2) END,
           u.untracked_monthly_cost, u.untracked_instances, u.ghost_rows, u.checked_at,
           -- The month's invoices as imported so far (NULL while none is): everything invoiced, the
           -- accuracy of the matched VPS, and the fleet-level hourly and usage spend.
           inv.total_invoiced_usd, inv.accuracy, inv.other_spend_usd,
           (SELECT usd FROM month_payments)
      FROM fleet f
      LEFT JOIN cost_untracked_latest u ON true
      LEFT JOIN invoice_monthly_accuracy inv ON inv.month = :month::date
     WHERE :month::date < date_trunc('month', now() AT TIME ZONE 'UTC')::date
    ON CONFLICT (month) WHERE reopened_at IS NULL DO NOTHING
    RETURNING id, month
),
frozen AS (
    INSERT INTO cost_month_close_tenants (close_id, month, tenant_id, vps_cost, ip_cost, total_cost, revenue,
                                          margin, margin_percent, health)
    SELECT c.id, c.month, x.tenant_id, x.vps_cost, x.ip_cost, x.total_cost, x.revenue, x.margin, x.margin_percent, x.health
      FROM closed c CROSS JOIN figures x
    RETURNING 1
)
SELECT (SELECT id::text FROM closed) AS "closeId", (SELECT count(*) FROM frozen)::int AS tenants
