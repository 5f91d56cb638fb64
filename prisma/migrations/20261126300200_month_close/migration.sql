-- Month close and trends (docs/month-close.md).
--
-- 1. cost_month_closes: one row per close of a month, with the fleet's figures as they stood
--    when it was closed. A reopen does not delete the row: it stamps reopened_at/by/reason on it,
--    so every close and every reopen stays on record; at most one close of a month is in force
--    (reopened_at IS NULL), which a partial unique index guarantees. The close statement inserts
--    with ON CONFLICT on that index, so two closes at once (the scheduled one and Finance's
--    command) make one close, whichever commits first.
-- 2. cost_month_close_tenants: the per-tenant figures frozen by each close.
-- 3. executive_monthly_trend(scope, tenant_id, month, ..., cost, revenue, margin, ...): the closes in
--    force, per tenant and for the fleet, with the change since the previous calendar month; the
--    executive views' roles, grants and tenant isolation. Its (month, tenant_id, cost, revenue,
--    margin) are what the executive dashboard's trend panel was announced to read; the panel reads
--    the fleet rows (scope 'fleet'), as summing every row would count the fleet twice.
-- Money is numeric, never a float; cost comes in whole cents from cost_attribution_by_tenant, and
-- the only rounding done here is that of the percentages (half away from zero, to 2 places).
-- Every statement is safe to rerun.

CREATE TABLE IF NOT EXISTS cost_month_closes (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the first day of the month closed (UTC calendar months)
    month                   date NOT NULL CHECK (month = date_trunc('month', month)::date),
    closed_at               timestamptz NOT NULL DEFAULT now(),
    closed_by               text NOT NULL,
    -- 'schedule': the monthly reconciliation closed the month before it; 'command': close-month
    trigger                 text NOT NULL CHECK (trigger IN ('schedule', 'command')),
    reason                  text NOT NULL,
    -- the scheduled reconciliation that closed it (NULL for a command)
    run_id                  uuid REFERENCES cost_reconciliation_runs(id) ON DELETE SET NULL,
    -- when the attribution the figures come from was computed
    figures_as_of           timestamptz,
    tenants                 int NOT NULL,
    vps_cost                numeric(14,2) NOT NULL,
    ip_cost                 numeric(14,2) NOT NULL,
    total_cost              numeric(14,2) NOT NULL,
    unallocated_vps_cost    numeric(14,2) NOT NULL,
    unallocated_ip_cost     numeric(14,2) NOT NULL,
    revenue                 numeric(14,2) NOT NULL,
    margin                  numeric(14,2) NOT NULL,
    margin_percent          numeric(14,2),
    -- untracked spend as of the latest reconciliation that checked (cost_untracked_latest); NULL: never checked
    untracked_monthly_cost  numeric(12,2),
    untracked_instances     int,
    ghost_rows              int,
    untracked_checked_at    timestamptz,
    -- from invoice_monthly_accuracy (invoice import); NULL until invoices for the month are imported
    invoiced_usd            numeric(14,2),
    invoice_accuracy        numeric(7,4),
    other_hostwinds_spend_usd numeric(14,2),
    reopened_at             timestamptz,
    reopened_by             text,
    reopen_reason           text,
    CHECK ((reopened_at IS NULL) = (reopened_by IS NULL) AND (reopened_at IS NULL) = (reopen_reason IS NULL)),
    CHECK (vps_cost <> 'NaN'::numeric AND ip_cost <> 'NaN'::numeric AND revenue <> 'NaN'::numeric)
);
-- The guard: one close in force per month. The close statement's ON CONFLICT names it.
CREATE UNIQUE INDEX IF NOT EXISTS uq_cost_month_closes_in_force ON cost_month_closes (month) WHERE reopened_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_cost_month_closes_month ON cost_month_closes (month, closed_at);
COMMENT ON TABLE cost_month_closes IS
'Month closes: the fleet''s modelled cost, revenue, margin, unallocated and untracked spend and invoice figures frozen when a month was closed, one row per close; a reopened close keeps its row with reopened_at/by/reason. Internal cost modelling, not billing.';
COMMENT ON COLUMN cost_month_closes.month IS 'First day of the closed month (UTC).';
COMMENT ON COLUMN cost_month_closes.closed_by IS 'Who closed it: COST_SYNC_OPERATOR, else the OS user (of the worker for a scheduled close).';
COMMENT ON COLUMN cost_month_closes.trigger IS 'schedule: closed by the monthly reconciliation; command: cost-sync close-month.';
COMMENT ON COLUMN cost_month_closes.figures_as_of IS 'When the attribution the frozen figures come from was computed.';
COMMENT ON COLUMN cost_month_closes.total_cost IS 'vps_cost + ip_cost: every modelled cost, attributed or not. Untracked spend is not in it.';
COMMENT ON COLUMN cost_month_closes.unallocated_vps_cost IS 'Modelled VPS cost attributed to no tenant.';
COMMENT ON COLUMN cost_month_closes.unallocated_ip_cost IS 'Modelled IP cost attributed to no tenant.';
COMMENT ON COLUMN cost_month_closes.revenue IS 'Sum of the tenants'' monthly subscription revenue.';
COMMENT ON COLUMN cost_month_closes.margin IS 'revenue - total_cost.';
COMMENT ON COLUMN cost_month_closes.margin_percent IS 'margin / revenue * 100, rounded to 2 places; NULL when revenue is 0.';
COMMENT ON COLUMN cost_month_closes.untracked_monthly_cost IS 'Monthly USD of Hostwinds instances no vps_instances row references, per the latest reconciliation that checked; never attributed to a tenant, not in total_cost.';
COMMENT ON COLUMN cost_month_closes.invoiced_usd IS 'What Hostwinds invoiced for the month (invoice import); NULL when no invoice was imported.';
COMMENT ON COLUMN cost_month_closes.invoice_accuracy IS '1 - sum|modelled - invoiced| / sum invoiced for the month (invoice import); NULL when no invoice was imported.';
COMMENT ON COLUMN cost_month_closes.other_hostwinds_spend_usd IS 'Invoiced hourly and usage lines (volumes, snapshots, backups): fleet-level; NULL when no invoice was imported.';
COMMENT ON COLUMN cost_month_closes.reopened_at IS 'When this close was reopened (cost-sync close-month --reopen); NULL while it is in force.';

CREATE TABLE IF NOT EXISTS cost_month_close_tenants (
    close_id       bigint NOT NULL REFERENCES cost_month_closes(id) ON DELETE CASCADE,
    -- copied from the close, so the trend reads a tenant's months from one index
    month          date NOT NULL,
    tenant_id      uuid NOT NULL,
    vps_cost       numeric(14,2) NOT NULL,
    ip_cost        numeric(14,2) NOT NULL,
    total_cost     numeric(14,2) NOT NULL,
    revenue        numeric(14,2) NOT NULL,
    margin         numeric(14,2) NOT NULL,
    margin_percent numeric(14,2),
    health         text NOT NULL,
    PRIMARY KEY (close_id, tenant_id)
);
CREATE INDEX IF NOT EXISTS idx_cost_month_close_tenants_tenant ON cost_month_close_tenants (tenant_id, month);
COMMENT ON TABLE cost_month_close_tenants IS
'Per-tenant figures frozen by a month close: attributed VPS and IP cost, subscription revenue, margin and business health. Internal cost modelling, not billing; never shown to tenants.';
COMMENT ON COLUMN cost_month_close_tenants.health IS 'business_health_status as tenant_business_snapshot defines it (Excellent, Good, Monitor, Critical Action Required).';

-- ---------------------------------------------------------------------------
-- The trend. Only closes in force; the previous month is the previous calendar month (a gap
-- gives NULL changes, not a comparison with an older month). Percent changes are against the
-- previous month's absolute value, NULL when it is missing or zero. Fleet rows (scope 'fleet',
-- tenant_id NULL) only for roles that see every tenant; application_service sees its tenant's
-- rows only, as in the other executive views.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW executive_monthly_trend WITH (security_barrier) AS
WITH months AS (
    SELECT 'tenant'::text AS scope, t.tenant_id, t.month, t.vps_cost, t.ip_cost, t.total_cost, t.revenue,
           t.margin, t.margin_percent, t.health, NULL::numeric(14,2) AS unallocated_cost,
           NULL::numeric(12,2) AS untracked_monthly_cost, c.closed_at
      FROM cost_month_close_tenants t
      JOIN cost_month_closes c ON c.id = t.close_id AND c.reopened_at IS NULL
    UNION ALL
    SELECT 'fleet'::text, NULL::uuid, c.month, c.vps_cost, c.ip_cost, c.total_cost, c.revenue,
           c.margin, c.margin_percent, NULL::text, (c.unallocated_vps_cost + c.unallocated_ip_cost)::numeric(14,2),
           c.untracked_monthly_cost, c.closed_at
      FROM cost_month_closes c
     WHERE c.reopened_at IS NULL
),
with_previous AS (
    SELECT m.*,
           (lag(m.month) OVER w = (m.month - interval '1 month')::date) AS has_previous,
           lag(m.total_cost) OVER w AS previous_cost,
           lag(m.revenue) OVER w AS previous_revenue,
           lag(m.margin) OVER w AS previous_margin
      FROM months m
    WINDOW w AS (PARTITION BY m.scope, m.tenant_id ORDER BY m.month)
)
SELECT p.scope, p.tenant_id, p.month, p.vps_cost, p.ip_cost, p.total_cost AS cost, p.revenue, p.margin, p.margin_percent,
       p.health, p.unallocated_cost, p.untracked_monthly_cost,
       CASE WHEN p.has_previous THEN p.total_cost - p.previous_cost END AS cost_change,
       CASE WHEN p.has_previous THEN round((p.total_cost - p.previous_cost) / NULLIF(abs(p.previous_cost), 0) * 100, 2) END AS cost_change_percent,
       CASE WHEN p.has_previous THEN p.revenue - p.previous_revenue END AS revenue_change,
       CASE WHEN p.has_previous THEN round((p.revenue - p.previous_revenue) / NULLIF(abs(p.previous_revenue), 0) * 100, 2) END AS revenue_change_percent,
       CASE WHEN p.has_previous THEN p.margin - p.previous_margin END AS margin_change,
       CASE WHEN p.has_previous THEN round((p.margin - p.previous_margin) / NULLIF(abs(p.previous_margin), 0) * 100, 2) END AS margin_change_percent,
       p.closed_at
  FROM with_previous p
 WHERE (SELECT cost_sync_sees_all_tenants())
    OR (p.scope = 'tenant' AND p.tenant_id = (SELECT cost_sync_current_tenant()));

COMMENT ON VIEW executive_monthly_trend IS
'Closed months per tenant (scope tenant) and for the fleet (scope fleet, tenant_id NULL): modelled cost, subscription revenue, margin and their change since the previous calendar month, as frozen by the month close. Internal cost modelling, not billing; never shown to tenants.';
COMMENT ON COLUMN executive_monthly_trend.scope IS 'tenant: one tenant''s figures; fleet: the whole fleet, unallocated cost included (only roles that see every tenant).';
COMMENT ON COLUMN executive_monthly_trend.month IS 'First day of the closed month (UTC).';
COMMENT ON COLUMN executive_monthly_trend.cost IS 'Modelled monthly cost (VPS + IP) frozen at the close; on fleet rows, unallocated cost included. Not billing.';
COMMENT ON COLUMN executive_monthly_trend.revenue IS 'Monthly subscription revenue frozen at the close.';
COMMENT ON COLUMN executive_monthly_trend.margin IS 'revenue - cost.';
COMMENT ON COLUMN executive_monthly_trend.margin_percent IS 'margin / revenue * 100; NULL when revenue is 0.';
COMMENT ON COLUMN executive_monthly_trend.health IS 'The tenant''s business health at the close; NULL on fleet rows.';
COMMENT ON COLUMN executive_monthly_trend.unallocated_cost IS 'Fleet rows: modelled cost attributed to no tenant (in cost). NULL on tenant rows.';
COMMENT ON COLUMN executive_monthly_trend.untracked_monthly_cost IS 'Fleet rows: untracked Hostwinds spend at the close (not in cost). NULL on tenant rows.';
COMMENT ON COLUMN executive_monthly_trend.cost_change IS 'cost minus the previous calendar month''s; NULL when that month is not closed.';
COMMENT ON COLUMN executive_monthly_trend.cost_change_percent IS 'cost_change / |previous cost| * 100, rounded to 2 places; NULL when the previous month is missing or zero.';
COMMENT ON COLUMN executive_monthly_trend.revenue_change IS 'revenue minus the previous calendar month''s; NULL when that month is not closed.';
COMMENT ON COLUMN executive_monthly_trend.revenue_change_percent IS 'revenue_change / |previous revenue| * 100, rounded to 2 places; NULL when the previous month is missing or zero.';
COMMENT ON COLUMN executive_monthly_trend.margin_change IS 'margin minus the previous calendar month''s; NULL when that month is not closed.';
COMMENT ON COLUMN executive_monthly_trend.margin_change_percent IS 'margin_change / |previous margin| * 100, rounded to 2 places; NULL when the previous month is missing or zero.';
COMMENT ON COLUMN executive_monthly_trend.closed_at IS 'When the close in force for this month was made.';

-- ---------------------------------------------------------------------------
-- Grants: the executive views' matrix. The tables stay with cost-sync and db_administrators;
-- the view runs with its owner's rights, so readers need no grant on them.
-- ---------------------------------------------------------------------------
REVOKE ALL ON cost_month_closes, cost_month_close_tenants, executive_monthly_trend FROM PUBLIC;
GRANT SELECT ON executive_monthly_trend TO business_analysts, executives, application_service;
GRANT ALL ON executive_monthly_trend TO db_administrators;
GRANT SELECT ON cost_month_closes TO business_analysts, executives;
GRANT ALL ON cost_month_closes, cost_month_close_tenants TO db_administrators;
