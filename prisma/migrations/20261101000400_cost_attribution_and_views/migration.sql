-- Executive BI, the seed's Steps 3-5 done right (../shared/docs/data-model.md, "defects").
--
-- 1. cost_attribution_by_tenant (materialised): every modelled cost, VPS and IP,
--    attributed to tenants in whole cents. Precomputed because attributing
--    300k IPs and 600k assignments on every read takes seconds; the worker
--    refreshes it after cost changes, `cost-sync refresh` after bulk SQL. Its
--    refreshed_at column says how fresh it is.
-- 2. tenant_cost_attribution: the attribution as a view (readable, granted).
-- 3. tenant_business_snapshot (materialised): per tenant revenue, company,
--    attributed cost, payments and usage, pre-aggregated; and on it
--    executive_business_summary / business_cost_allocation: the seed's views
--    with no fan-out, companies joined by tenant, payments as revenue.
-- 4. Roles and grants per the seed's access matrix; tenant isolation for
--    application_service by a predicate inside the views (policies cannot be
--    put on views).
-- Every statement is safe to rerun.

-- ---------------------------------------------------------------------------
-- Attribution rules (decided in data-model.md):
--  * a VPS with an owner (tenant_id) is that tenant's, with all its IPs;
--  * a shared VPS: each IP split evenly among the distinct tenants holding an
--    active or warming assignment on it; the VPS split in proportion to those
--    tenants' assignments on its IPs;
--  * the rest is unallocated (tenant_id NULL).
-- Splits are in cents by largest remainder (ties by tenant id), so
-- attributed + unallocated = total modelled cost exactly.
-- ---------------------------------------------------------------------------
CREATE MATERIALIZED VIEW IF NOT EXISTS cost_attribution_by_tenant AS
WITH ip_tenants AS (
    -- distinct tenants per IP, and how many of their assignments sit on it
    SELECT a.smtp_ip_address_id AS ip_id, d.tenant_id, count(*)::bigint AS assignments
      FROM domain_ip_assignments a
      JOIN domains d ON d.id = a.domain_id
     WHERE a.status IN ('active', 'warming')
     GROUP BY a.smtp_ip_address_id, d.tenant_id
),
ip_claims AS (
    -- who each IP's cost goes to, with a weight; NULL tenant = unallocated
    SELECT i.id AS resource_id, round(i.approximate_cost * 100)::bigint AS cents,
           COALESCE(v.tenant_id, it.tenant_id) AS tenant_id,
           1::bigint AS weight -- an IP is split evenly
      FROM smtp_ip_addresses i
      LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
      LEFT JOIN ip_tenants it ON v.tenant_id IS NULL AND it.ip_id = i.id
     WHERE i.approximate_cost > 0
),
vps_claims AS (
    SELECT v.id AS resource_id, round(v.approximate_cost * 100)::bigint AS cents,
           COALESCE(v.tenant_id, w.tenant_id) AS tenant_id, COALESCE(w.assignments, 1)::bigint AS weight
      FROM vps_instances v
      LEFT JOIN (
            SELECT i.vps_instance_id, it.tenant_id, sum(it.assignments)::bigint AS assignments
              FROM ip_tenants it JOIN smtp_ip_addresses i ON i.id = it.ip_id
             GROUP BY i.vps_instance_id, it.tenant_id
      ) w ON v.tenant_id IS NULL AND w.vps_instance_id = v.id
     WHERE v.approximate_cost > 0
),
claims AS (
    SELECT 'vps'::text AS kind, * FROM vps_claims
    UNION ALL
    SELECT 'ip'::text AS kind, * FROM ip_claims
),
shares AS (
    SELECT kind, resource_id, tenant_id, cents,
           -- integer arithmetic: sum() of bigint is numeric, so cast it back
           (cents * weight) / (sum(weight) OVER r)::bigint AS base,
           (cents * weight) % (sum(weight) OVER r)::bigint AS remainder
      FROM claims
    WINDOW r AS (PARTITION BY kind, resource_id)
),
split AS (
    SELECT kind, resource_id, tenant_id,
           base + CASE WHEN row_number() OVER (PARTITION BY kind, resource_id ORDER BY remainder DESC, tenant_id NULLS LAST)
                            <= cents - sum(base) OVER (PARTITION BY kind, resource_id) THEN 1 ELSE 0 END AS cents
      FROM shares
)
SELECT COALESCE(tenant_id::text, 'unallocated') AS attribution_key,
       tenant_id,
       (COALESCE(sum(cents) FILTER (WHERE kind = 'vps'), 0) / 100.0)::numeric(14,2) AS vps_cost,
       (COALESCE(sum(cents) FILTER (WHERE kind = 'ip'), 0) / 100.0)::numeric(14,2)  AS ip_cost,
       count(DISTINCT resource_id) FILTER (WHERE kind = 'vps') AS vps_count,
       count(DISTINCT resource_id) FILTER (WHERE kind = 'ip')  AS ip_count,
       now() AS refreshed_at
  FROM split
 GROUP BY tenant_id;

-- REFRESH ... CONCURRENTLY (readers never blocked) needs a plain unique index.
CREATE UNIQUE INDEX IF NOT EXISTS uq_cost_attribution_by_tenant_key ON cost_attribution_by_tenant (attribution_key);
CREATE INDEX IF NOT EXISTS idx_cost_attribution_by_tenant_tenant ON cost_attribution_by_tenant (tenant_id);
COMMENT ON MATERIALIZED VIEW cost_attribution_by_tenant IS
'Precomputed attribution of modelled Hostwinds costs (VPS and IP approximate_cost) to tenants, in whole cents; tenant_id NULL = unallocated. Refreshed by cost-sync (see refreshed_at). Internal cost modelling, not billing.';

-- ---------------------------------------------------------------------------
-- Tenant isolation. Internal roles (and owners, superusers) see every tenant.
-- application_service sees only the tenant in app.current_tenant_id, and
-- nothing when it is unset or not a uuid: fail closed, and never an error that
-- would leak through an admin panel.
-- ---------------------------------------------------------------------------
-- Two argument-less functions, each wrapped in a scalar subquery in the views
-- so PostgreSQL evaluates it once per query (an InitPlan), not once per row.
CREATE OR REPLACE FUNCTION cost_sync_sees_all_tenants() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, 'business_analysts', 'USAGE')
        OR pg_has_role(current_user, 'executives', 'USAGE')
        OR pg_has_role(current_user, 'db_administrators', 'USAGE')
        OR NOT pg_has_role(current_user, 'application_service', 'USAGE')
$$;

-- The tenant application_service acts for; NULL (nothing visible) when unset or not a uuid.
CREATE OR REPLACE FUNCTION cost_sync_current_tenant() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN current_setting('app.current_tenant_id', true) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN current_setting('app.current_tenant_id', true)::uuid END
$$;

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['business_analysts', 'application_service', 'db_administrators', 'executives'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created meanwhile by a concurrent migration of another database
            END;
        END IF;
    END LOOP;
END $$;

-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW tenant_cost_attribution WITH (security_barrier) AS
SELECT a.tenant_id, a.vps_cost, a.ip_cost, (a.vps_cost + a.ip_cost) AS total_cost,
       a.vps_count, a.ip_count, a.refreshed_at
  FROM cost_attribution_by_tenant a
 WHERE (SELECT cost_sync_sees_all_tenants()) OR a.tenant_id = (SELECT cost_sync_current_tenant());
COMMENT ON VIEW tenant_cost_attribution IS
'Modelled monthly Hostwinds cost per tenant (VPS and IP), tenant_id NULL = unallocated. Internal cost modelling, not billing; never shown to tenants.';
COMMENT ON COLUMN tenant_cost_attribution.tenant_id IS 'Tenant the cost is attributed to; NULL for cost that no tenant can be charged with (unallocated).';
COMMENT ON COLUMN tenant_cost_attribution.vps_cost IS 'Modelled monthly USD of VPS instances attributed to the tenant. Internal modelling, not billing.';
COMMENT ON COLUMN tenant_cost_attribution.ip_cost IS 'Modelled monthly USD of SMTP IPs attributed to the tenant. Internal modelling, not billing.';
COMMENT ON COLUMN tenant_cost_attribution.total_cost IS 'vps_cost + ip_cost. Internal modelling, not billing.';
COMMENT ON COLUMN tenant_cost_attribution.vps_count IS 'VPS instances the tenant bears all or part of.';
COMMENT ON COLUMN tenant_cost_attribution.ip_count IS 'SMTP IPs the tenant bears all or part of.';
COMMENT ON COLUMN tenant_cost_attribution.refreshed_at IS 'When the attribution was last recomputed by cost-sync.';

-- ---------------------------------------------------------------------------
-- tenant_business_snapshot (materialised): one row per tenant with an active
-- subscription, pre-aggregated so that no join multiplies rows (defect 3) and
-- so that 100 concurrent dashboards stay fast. Refreshed with the attribution
-- (after cost changes, after changes to subscriptions, plans, companies,
-- payments, usage or assignments, and every few minutes); the views expose
-- its refreshed_at. dashboard_date stays CURRENT_DATE in the views.
-- ---------------------------------------------------------------------------
CREATE MATERIALIZED VIEW IF NOT EXISTS tenant_business_snapshot AS
WITH unit AS (
    -- plans.price_monthly is an integer whose unit the platform never settled;
    -- Finance sets it in system_config (default cents: 2900 = $29).
    SELECT CASE WHEN COALESCE((SELECT value #>> '{}' FROM system_config WHERE key = 'cost_sync.plan_price_unit'), 'cents') = 'dollars'
                THEN 1.0 ELSE 100.0 END AS divisor
),
subs AS (
    SELECT s.id, s.tenant_id, s.current_period_start, s.current_period_end, p.name AS plan_name,
           (COALESCE(p.price_monthly, 0) / unit.divisor)::numeric(12,2) AS plan_revenue,
           row_number() OVER (PARTITION BY s.tenant_id ORDER BY s.current_period_start DESC NULLS LAST, s.id) AS rank
      FROM subscriptions s JOIN plans p ON p.id = s.plan_id CROSS JOIN unit
     WHERE s.status = 'active' AND s.tenant_id IS NOT NULL
),
per_tenant AS (
    SELECT tenant_id, sum(plan_revenue) AS revenue FROM subs GROUP BY tenant_id
),
pay AS (
    -- payments are revenue (defect 4): succeeded payments for the current period
    SELECT subs.tenant_id, sum(py.amount) AS received
      FROM subs JOIN payments py ON py.subscription_id = subs.id AND py.billing_period_start >= subs.current_period_start
     WHERE py.status = 'succeeded'
     GROUP BY subs.tenant_id
),
mail AS (
    SELECT subs.tenant_id, sum(ba.emails_sent)::bigint AS emails
      FROM subs JOIN billing_analytics ba ON ba.subscription_id = subs.id::text
     WHERE ba.period_start >= CURRENT_DATE - INTERVAL '30 days'
     GROUP BY subs.tenant_id
),
company AS (
    SELECT DISTINCT ON (c.tenant_id) c.tenant_id, c.name FROM companies c ORDER BY c.tenant_id, c.created NULLS LAST, c.id
)
-- The seed's derived figures are computed here, once per refresh, not on every
-- dashboard read (100 concurrent readers): the views only select them.
SELECT b.*,
       (b.infrastructure_costs + b.email_service_costs) AS total_operational_cost,
       (b.monthly_subscription_revenue - (b.infrastructure_costs + b.email_service_costs)) AS monthly_profit,
       (CASE WHEN (b.infrastructure_costs + b.email_service_costs) > 0
             THEN round(b.monthly_subscription_revenue / (b.infrastructure_costs + b.email_service_costs), 2)
             ELSE 0 END)::numeric(14,2) AS gross_margin_ratio,
       (CASE WHEN b.monthly_subscription_revenue > 0
             THEN round((b.monthly_subscription_revenue - (b.infrastructure_costs + b.email_service_costs)) / b.monthly_subscription_revenue * 100, 2)
             END)::numeric(14,2) AS gross_margin_percent,
       (CASE WHEN b.monthly_subscription_revenue > 0
             THEN LEAST(100, GREATEST(0, round((b.monthly_subscription_revenue - (b.infrastructure_costs + b.email_service_costs)) / b.monthly_subscription_revenue * 100, 2)))
             ELSE 0 END)::numeric(5,2) AS cost_efficiency_score,
       (CASE WHEN b.monthly_subscription_revenue > (b.infrastructure_costs + b.email_service_costs) * 2 THEN 'Excellent'
             WHEN b.monthly_subscription_revenue > (b.infrastructure_costs + b.email_service_costs) * 1.5 THEN 'Good'
             WHEN b.monthly_subscription_revenue > (b.infrastructure_costs + b.email_service_costs) THEN 'Monitor'
             ELSE 'Critical Action Required' END)::text AS business_health_status,
       (CASE WHEN b.emails_sent_30d > 0
             THEN round((b.infrastructure_costs + b.email_service_costs) / b.emails_sent_30d, 4)
             ELSE 0 END)::numeric(14,4) AS cost_per_email_delivered,
       (b.payments_received - (b.infrastructure_costs + b.email_service_costs)) AS payments_profit,
       (CASE WHEN (b.infrastructure_costs + b.email_service_costs) > 0
             THEN round(b.payments_received / (b.infrastructure_costs + b.email_service_costs), 2)
             ELSE 0 END)::numeric(14,2) AS business_efficiency_ratio
  FROM (
SELECT t.tenant_id,
       primary_sub.plan_name,
       primary_sub.current_period_start,
       primary_sub.current_period_end,
       t.revenue AS monthly_subscription_revenue,
       COALESCE(company.name, tn.name)::varchar(255) AS company_name,
       COALESCE(a.vps_cost, 0)::numeric(14,2) AS infrastructure_costs,
       COALESCE(a.ip_cost, 0)::numeric(14,2) AS email_service_costs,
       COALESCE(pay.received, 0)::numeric(14,2) AS payments_received,
       COALESCE(mail.emails, 0) AS emails_sent_30d,
       (SELECT max(refreshed_at) FROM cost_attribution_by_tenant) AS cost_attribution_refreshed_at,
       now() AS refreshed_at
  FROM per_tenant t
  JOIN subs primary_sub ON primary_sub.tenant_id = t.tenant_id AND primary_sub.rank = 1
  LEFT JOIN company ON company.tenant_id = t.tenant_id
  LEFT JOIN tenants tn ON tn.id = t.tenant_id
  LEFT JOIN cost_attribution_by_tenant a ON a.tenant_id = t.tenant_id
  LEFT JOIN pay ON pay.tenant_id = t.tenant_id
  LEFT JOIN mail ON mail.tenant_id = t.tenant_id
  ) b;
CREATE UNIQUE INDEX IF NOT EXISTS uq_tenant_business_snapshot_tenant ON tenant_business_snapshot (tenant_id);
CREATE INDEX IF NOT EXISTS idx_tenant_business_snapshot_efficiency ON tenant_business_snapshot (cost_efficiency_score DESC);
COMMENT ON MATERIALIZED VIEW tenant_business_snapshot IS
'Internal building block of the executive views: per tenant with an active subscription, revenue (plans converted to USD), attributed modelled cost, payments and email usage, precomputed by cost-sync (see refreshed_at). Not billing.';

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
       CURRENT_DATE AS dashboard_date
  FROM tenant_business_snapshot x
 WHERE (SELECT cost_sync_sees_all_tenants()) OR x.tenant_id = (SELECT cost_sync_current_tenant());

COMMENT ON VIEW executive_business_summary IS
'Per-tenant business health for executives: subscription revenue against modelled Hostwinds cost (VPS + SMTP IPs attributed per tenant). One row per tenant with an active subscription. Internal modelling from approximate_cost, not billing; never shown to tenants.';
COMMENT ON COLUMN executive_business_summary.tenant_id IS 'Tenant with at least one active subscription.';
COMMENT ON COLUMN executive_business_summary.company_name IS 'The tenant''s first company (by creation, then id), else the tenant name.';
COMMENT ON COLUMN executive_business_summary.plan_name IS 'Plan of the tenant''s most recent active subscription.';
COMMENT ON COLUMN executive_business_summary.current_period_start IS 'Current period start of that subscription.';
COMMENT ON COLUMN executive_business_summary.current_period_end IS 'Current period end of that subscription.';
COMMENT ON COLUMN executive_business_summary.monthly_subscription_revenue IS 'Sum of plans.price_monthly of the tenant''s active subscriptions, in USD (unit per system_config cost_sync.plan_price_unit).';
COMMENT ON COLUMN executive_business_summary.infrastructure_costs IS 'Modelled monthly USD of VPS instances attributed to the tenant. Internal modelling, not billing.';
COMMENT ON COLUMN executive_business_summary.email_service_costs IS 'Modelled monthly USD of SMTP IPs attributed to the tenant. Internal modelling, not billing.';
COMMENT ON COLUMN executive_business_summary.total_infrastructure_cost IS 'Same as infrastructure_costs (name read by the seed''s validation queries).';
COMMENT ON COLUMN executive_business_summary.total_email_service_cost IS 'Same as email_service_costs (name read by the seed''s validation queries).';
COMMENT ON COLUMN executive_business_summary.total_operational_cost IS 'infrastructure_costs + email_service_costs: modelled monthly cost. Not billing.';
COMMENT ON COLUMN executive_business_summary.total_monthly_cost IS 'Same as total_operational_cost: cost only, never revenue.';
COMMENT ON COLUMN executive_business_summary.monthly_profit IS 'monthly_subscription_revenue - total_operational_cost (modelled).';
COMMENT ON COLUMN executive_business_summary.gross_margin_ratio IS 'Revenue / cost, as the seed defines it (not a margin); 0 when cost is 0.';
COMMENT ON COLUMN executive_business_summary.gross_margin_percent IS 'True gross margin: (revenue - cost) / revenue * 100; NULL when revenue is 0.';
COMMENT ON COLUMN executive_business_summary.cost_efficiency_score IS '(revenue - cost) / revenue * 100 clamped to 0..100; 0 when revenue is 0.';
COMMENT ON COLUMN executive_business_summary.business_health_status IS 'Excellent if revenue > 2x cost, Good > 1.5x, Monitor > 1x, else Critical Action Required.';
COMMENT ON COLUMN executive_business_summary.cost_attribution_refreshed_at IS 'When the precomputed figures behind this row (attribution, revenue, payments, usage) were last refreshed by cost-sync.';
COMMENT ON COLUMN executive_business_summary.dashboard_date IS 'Always today (CURRENT_DATE): the figures are current values.';

-- ---------------------------------------------------------------------------
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
       x.refreshed_at AS cost_attribution_refreshed_at
  FROM tenant_business_snapshot x
 WHERE (SELECT cost_sync_sees_all_tenants()) OR x.tenant_id = (SELECT cost_sync_current_tenant());

COMMENT ON VIEW business_cost_allocation IS
'Per-tenant modelled cost breakdown for executive decisions: attributed Hostwinds cost, cost per email, and payments received against it. Internal modelling, not billing; never shown to tenants.';
COMMENT ON COLUMN business_cost_allocation.tenant_id IS 'Tenant with at least one active subscription.';
COMMENT ON COLUMN business_cost_allocation.company_name IS 'The tenant''s first company (by creation, then id), else the tenant name.';
COMMENT ON COLUMN business_cost_allocation.plan_name IS 'Plan of the tenant''s most recent active subscription.';
COMMENT ON COLUMN business_cost_allocation.price_monthly IS 'Monthly subscription revenue in USD (plans.price_monthly converted per cost_sync.plan_price_unit).';
COMMENT ON COLUMN business_cost_allocation.total_infrastructure_cost IS 'Modelled monthly USD of VPS attributed to the tenant. Not billing.';
COMMENT ON COLUMN business_cost_allocation.total_email_service_cost IS 'Modelled monthly USD of SMTP IPs attributed to the tenant. Not billing.';
COMMENT ON COLUMN business_cost_allocation.emails_sent_30d IS 'Emails sent by the tenant''s active subscriptions in billing_analytics periods starting in the 30 days before the last refresh.';
COMMENT ON COLUMN business_cost_allocation.cost_per_email_delivered IS 'total_monthly_cost / emails_sent_30d (cost only); 0 when no emails.';
COMMENT ON COLUMN business_cost_allocation.total_monthly_cost IS 'Modelled monthly cost: infrastructure + email service. Never includes payments.';
COMMENT ON COLUMN business_cost_allocation.payments_received IS 'Succeeded payments for the current periods of the tenant''s active subscriptions (revenue).';
COMMENT ON COLUMN business_cost_allocation.monthly_profit IS 'payments_received - total_monthly_cost (modelled).';
COMMENT ON COLUMN business_cost_allocation.business_efficiency_ratio IS 'payments_received / total_monthly_cost; 0 when cost is 0.';
COMMENT ON COLUMN business_cost_allocation.cost_attribution_refreshed_at IS 'When the cost attribution behind these figures was last recomputed.';

-- ---------------------------------------------------------------------------
-- Grants: exactly the seed's access matrix, nothing to PUBLIC. The views run
-- with their owner's rights, so the roles need no grant on the base tables.
-- ---------------------------------------------------------------------------
REVOKE ALL ON executive_business_summary, business_cost_allocation, tenant_cost_attribution,
              tenant_business_snapshot, cost_attribution_by_tenant FROM PUBLIC;
REVOKE ALL ON FUNCTION cost_sync_sees_all_tenants(), cost_sync_current_tenant() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cost_sync_sees_all_tenants(), cost_sync_current_tenant() TO business_analysts, executives, application_service, db_administrators;
GRANT SELECT ON business_cost_allocation, executive_business_summary, tenant_cost_attribution TO business_analysts, executives, application_service;
GRANT ALL ON business_cost_allocation, executive_business_summary, tenant_cost_attribution TO db_administrators;

-- ---------------------------------------------------------------------------
-- Base-table indexes for what the views and the seed's queries join and filter
-- on (the seed's Step 4 put them on views, which PostgreSQL rejects).
-- ---------------------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_subscriptions_active_tenant ON subscriptions (tenant_id, current_period_start DESC) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS idx_companies_tenant ON companies (tenant_id, created, id);
CREATE INDEX IF NOT EXISTS idx_payments_subscription_period ON payments (subscription_id, billing_period_start) WHERE status = 'succeeded';
CREATE INDEX IF NOT EXISTS idx_billing_analytics_subscription_period ON billing_analytics (subscription_id, period_start);
CREATE INDEX IF NOT EXISTS idx_domain_ip_assignments_ip_live ON domain_ip_assignments (smtp_ip_address_id, domain_id) WHERE status IN ('active', 'warming');
CREATE INDEX IF NOT EXISTS idx_domains_tenant ON domains (tenant_id);
