-- Savings (docs/savings.md): what Finance and ops can cut, grounded in real Hostwinds prices, and
-- what acting on it saved. Every step is rerunnable; nothing existing is changed but the trend
-- view, which gains columns at its end (CREATE OR REPLACE VIEW keeps the existing ones first).
-- Fleet-level cost data: only the fleet-reading roles read it, never application_service.

-- 1. Each reconciliation's billing cycle per listed instance, and the plan group it was priced in:
--    what the billing-cycle opportunities read between runs (one row per instance of the latest run).
CREATE TABLE IF NOT EXISTS cost_reconciliation_cycles (
    run_id        uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    serviceid     bigint NOT NULL,
    billing_cycle text NOT NULL,
    group_key     text,
    PRIMARY KEY (run_id, serviceid)
);
COMMENT ON TABLE cost_reconciliation_cycles IS
'Per reconciliation run and listed Hostwinds instance: its billing cycle (get_instances) and its plan group (NULL = could not be grouped). Read by the savings refresh; only the latest completed run is kept.';

-- 2. A savings refresh: when, why, what it found and the Hostwinds calls it made.
CREATE TABLE IF NOT EXISTS cost_savings_runs (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger                text NOT NULL,
    started_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at            timestamptz,
    reconciliation_run_id  uuid REFERENCES cost_reconciliation_runs(id) ON DELETE SET NULL,
    idle_days              int NOT NULL,
    opportunities          int,
    opened                 int,
    done                   int,
    reopened               int,
    calls_billingcycle     int NOT NULL DEFAULT 0,
    cycle_unknown          int NOT NULL DEFAULT 0
);
COMMENT ON TABLE cost_savings_runs IS
'Savings refreshes (after each reconciliation and invoice import, and cost-sync savings refresh): opportunities current, newly opened, marked done, reopened after a dismissal; get_billingcycle_prices calls made (shared Hostwinds budget) and VPS whose cycle opportunity is unknown.';

-- 3. get_billingcycle_prices answers for instances with their own price, kept per reconciliation
--    run so that refreshes between two runs ask Hostwinds once per instance.
CREATE TABLE IF NOT EXISTS cost_savings_cycle_answers (
    run_id     uuid NOT NULL REFERENCES cost_reconciliation_runs(id) ON DELETE CASCADE,
    serviceid  bigint NOT NULL,
    outcome    text NOT NULL CHECK (outcome IN ('prices', 'none', 'malformed')),
    prices     jsonb,
    reason     text,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, serviceid)
);
COMMENT ON TABLE cost_savings_cycle_answers IS
'get_billingcycle_prices(serviceid) per reconciliation run for VPS with their own price: prices per cycle, none ({}), or malformed (with why). Never a guess.';

-- 4. The opportunities: one row per kind and resource, under a stable id.
CREATE TABLE IF NOT EXISTS cost_savings_opportunities (
    id                text PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('billing_cycle', 'idle_ip', 'idle_vps', 'billed_after_decommission', 'untracked')),
    vps_id            uuid,
    ip_id             uuid,
    serviceid         text,
    ip                text,
    tenant_id         uuid,
    monthly_saving    numeric(12,2) CHECK (monthly_saving >= 0 AND monthly_saving <> 'NaN'::numeric),
    upfront           numeric(12,2) CHECK (upfront >= 0 AND upfront <> 'NaN'::numeric),
    break_even_months numeric(8,2) CHECK (break_even_months >= 0 AND break_even_months <> 'NaN'::numeric),
    method            text NOT NULL,
    evidence          jsonb NOT NULL,
    facts_hash        text NOT NULL,
    state             text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'dismissed', 'done')),
    current           boolean NOT NULL DEFAULT true,
    first_seen        timestamptz NOT NULL DEFAULT now(),
    last_seen         timestamptz NOT NULL DEFAULT now(),
    dismissed_at      timestamptz,
    dismissed_by      text,
    dismiss_reason    text,
    dismissed_facts   text,
    done_at           timestamptz,
    done_reason       text,
    CHECK ((state = 'dismissed') = (dismissed_at IS NOT NULL)),
    CHECK ((state = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS idx_cost_savings_opportunities_state ON cost_savings_opportunities (state, current, kind);
COMMENT ON TABLE cost_savings_opportunities IS
'Savings opportunities (docs/savings.md): kind, resource, tenant, monthly saving in USD with how it was computed (method) and the evidence, first and last seen, and state open / dismissed (operator, reason, while its facts are unchanged) / done (the resource changed, with the date). current = found by the latest refresh. Internal modelling, never shown to tenants.';
COMMENT ON COLUMN cost_savings_opportunities.monthly_saving IS 'USD per month saved by acting on it; NULL only for an untracked instance whose price could not be read.';
COMMENT ON COLUMN cost_savings_opportunities.break_even_months IS 'billing_cycle: upfront / the current monthly price, 2 places half-up: keep the VPS at least this long and the longer cycle pays.';
COMMENT ON COLUMN cost_savings_opportunities.facts_hash IS 'md5 of the facts the opportunity rests on; a dismissal holds while it is unchanged.';

CREATE TABLE IF NOT EXISTS cost_savings_state_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opportunity_id text NOT NULL REFERENCES cost_savings_opportunities(id) ON DELETE CASCADE,
    from_state     text,
    to_state       text NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    changed_by     text NOT NULL,
    reason         text NOT NULL,
    -- the predicted monthly saving when the change was made (what realised savings compare with)
    monthly_saving numeric(12,2)
);
CREATE INDEX IF NOT EXISTS idx_cost_savings_state_changes_opportunity ON cost_savings_state_changes (opportunity_id, id);
COMMENT ON TABLE cost_savings_state_changes IS
'Every state change of a savings opportunity: opened, dismissed (by whom, why), reopened (its facts changed), done (what changed).';

-- Whether an IP carries mail (active, warming or scheduled) is asked per IP by the refresh.
CREATE INDEX IF NOT EXISTS idx_domain_ip_assignments_ip_use ON domain_ip_assignments (smtp_ip_address_id)
    WHERE status IN ('active', 'warming', 'scheduled');

-- 5. The view for executives and analysts: the open opportunities of the latest refresh.
CREATE OR REPLACE VIEW executive_savings_opportunities WITH (security_barrier) AS
SELECT o.id, o.kind, o.serviceid, o.ip, o.tenant_id, o.monthly_saving, o.upfront, o.break_even_months,
       o.method, o.evidence, o.first_seen, o.last_seen
  FROM cost_savings_opportunities o
 WHERE o.state = 'open' AND o.current
   AND (SELECT cost_sync_sees_all_tenants());
COMMENT ON VIEW executive_savings_opportunities IS
'Open savings opportunities as of the latest savings refresh (docs/savings.md): what can be cut and how much it saves a month. Fleet-level: only fleet-reading roles, never tenants. Internal modelling, not billing.';

REVOKE ALL ON cost_reconciliation_cycles, cost_savings_runs, cost_savings_cycle_answers, cost_savings_opportunities,
              cost_savings_state_changes, executive_savings_opportunities FROM PUBLIC, application_service;
GRANT SELECT ON executive_savings_opportunities, cost_savings_opportunities, cost_savings_runs
    TO business_analysts, executives;
GRANT ALL ON cost_reconciliation_cycles, cost_savings_runs, cost_savings_cycle_answers, cost_savings_opportunities,
             cost_savings_state_changes, executive_savings_opportunities TO db_administrators;

-- 6. Unit economics frozen with each month close: cost per 1,000 emails, per tenant and for the
--    fleet, on delivered emails where billing_analytics has an emails_delivered column with values
--    for the month, else on sent ones (email_basis names which). Filled by triggers, so whichever
--    statement writes a close freezes them with it.
ALTER TABLE cost_month_closes ADD COLUMN IF NOT EXISTS emails bigint;
ALTER TABLE cost_month_closes ADD COLUMN IF NOT EXISTS email_basis text;
ALTER TABLE cost_month_closes ADD COLUMN IF NOT EXISTS cost_per_1000_emails numeric(14,4);
ALTER TABLE cost_month_close_tenants ADD COLUMN IF NOT EXISTS emails bigint;
ALTER TABLE cost_month_close_tenants ADD COLUMN IF NOT EXISTS email_basis text;
ALTER TABLE cost_month_close_tenants ADD COLUMN IF NOT EXISTS cost_per_1000_emails numeric(14,4);
COMMENT ON COLUMN cost_month_closes.emails IS 'Emails of the month (billing_analytics periods starting in it), delivered or sent as email_basis says.';
COMMENT ON COLUMN cost_month_closes.email_basis IS 'delivered or sent: which emails the unit cost divides by.';
COMMENT ON COLUMN cost_month_closes.cost_per_1000_emails IS 'total_cost / emails * 1000, 4 places half-up; NULL when no emails.';
COMMENT ON COLUMN cost_month_close_tenants.emails IS 'The tenant''s emails of the month, delivered or sent as email_basis says.';
COMMENT ON COLUMN cost_month_close_tenants.email_basis IS 'delivered or sent: which emails the unit cost divides by.';
COMMENT ON COLUMN cost_month_close_tenants.cost_per_1000_emails IS 'total_cost / emails * 1000, 4 places half-up; NULL when no emails.';

CREATE OR REPLACE FUNCTION cost_sync_month_emails(p_month date, p_tenant uuid, OUT emails bigint, OUT basis text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public AS $$
DECLARE
    delivered bigint;
    rows_with int;
    rows_all int;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute
                WHERE attrelid = 'billing_analytics'::regclass AND attname = 'emails_delivered'
                  AND NOT attisdropped) THEN
        EXECUTE 'SELECT sum(emails_delivered)::bigint, count(emails_delivered)::int, count(*)::int FROM billing_analytics
                  WHERE period_start >= $1 AND period_start < ($1 + interval ''1 month'')
                    AND ($2::uuid IS NULL OR tenant_id = $2::text)'
           INTO delivered, rows_with, rows_all USING p_month, p_tenant;
        IF rows_all > 0 AND rows_with = rows_all THEN
            emails := delivered;
            basis := 'delivered';
            RETURN;
        END IF;
    END IF;
    SELECT COALESCE(sum(ba.emails_sent), 0)::bigint INTO emails FROM billing_analytics ba
     WHERE ba.period_start >= p_month AND ba.period_start < (p_month + interval '1 month')
       AND (p_tenant IS NULL OR ba.tenant_id = p_tenant::text);
    basis := 'sent';
END $$;

CREATE OR REPLACE FUNCTION cost_sync_freeze_unit_economics() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    e record;
BEGIN
    -- NEW.tenant_id exists only on the tenant rows: referenced only in their branch.
    IF TG_TABLE_NAME = 'cost_month_close_tenants' THEN
        SELECT * INTO e FROM cost_sync_month_emails(NEW.month, NEW.tenant_id);
    ELSE
        SELECT * INTO e FROM cost_sync_month_emails(NEW.month, NULL);
    END IF;
    NEW.emails := e.emails;
    NEW.email_basis := e.basis;
    NEW.cost_per_1000_emails := CASE WHEN e.emails > 0 THEN round(NEW.total_cost * 1000 / e.emails, 4) END;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS trg_cost_month_closes_unit_economics ON cost_month_closes;
CREATE TRIGGER trg_cost_month_closes_unit_economics BEFORE INSERT ON cost_month_closes
    FOR EACH ROW EXECUTE FUNCTION cost_sync_freeze_unit_economics();
DROP TRIGGER IF EXISTS trg_cost_month_close_tenants_unit_economics ON cost_month_close_tenants;
CREATE TRIGGER trg_cost_month_close_tenants_unit_economics BEFORE INSERT ON cost_month_close_tenants
    FOR EACH ROW EXECUTE FUNCTION cost_sync_freeze_unit_economics();

-- 7. The trend shows the frozen unit economics: three columns appended to executive_monthly_trend
--    (its definition of 20261126300200_month_close otherwise unchanged; grants and comments stay).
CREATE OR REPLACE VIEW executive_monthly_trend WITH (security_barrier) AS
WITH months AS (
    SELECT 'tenant'::text AS scope, t.tenant_id, t.month, t.vps_cost, t.ip_cost, t.total_cost, t.revenue,
           t.margin, t.margin_percent, t.health, NULL::numeric(14,2) AS unallocated_cost,
           NULL::numeric(12,2) AS untracked_monthly_cost, c.closed_at,
           t.emails, t.email_basis, t.cost_per_1000_emails
      FROM cost_month_close_tenants t
      JOIN cost_month_closes c ON c.id = t.close_id AND c.reopened_at IS NULL
    UNION ALL
    SELECT 'fleet'::text, NULL::uuid, c.month, c.vps_cost, c.ip_cost, c.total_cost, c.revenue,
           c.margin, c.margin_percent, NULL::text, (c.unallocated_vps_cost + c.unallocated_ip_cost)::numeric(14,2),
           c.untracked_monthly_cost, c.closed_at,
           c.emails, c.email_basis, c.cost_per_1000_emails
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
       p.closed_at,
       p.emails, p.email_basis, p.cost_per_1000_emails
  FROM with_previous p
 WHERE (SELECT cost_sync_sees_all_tenants())
    OR (p.scope = 'tenant' AND p.tenant_id = (SELECT cost_sync_current_tenant()));

COMMENT ON COLUMN executive_monthly_trend.emails IS 'Emails of the month frozen at the close (delivered or sent, as email_basis says).';
COMMENT ON COLUMN executive_monthly_trend.email_basis IS 'delivered or sent: which emails cost_per_1000_emails divides by.';
COMMENT ON COLUMN executive_monthly_trend.cost_per_1000_emails IS 'Modelled cost per 1,000 emails frozen at the close; NULL when no emails.';
