-- One name per tenant (issue 25). Reports named the same tenant "Acme Inc." in one place (its
-- first company) and "Acme Mail" in another (tenants.name). tenant_display_names is the one
-- definition every report and the CLI's tenant lookup use: the tenant's first company by creation,
-- then id (as tenant_business_snapshot.company_name has always chosen it), else the tenant's own
-- name. Additive and rerunnable: a new view only.
CREATE OR REPLACE VIEW tenant_display_names WITH (security_barrier) AS
SELECT t.id AS tenant_id,
       COALESCE(first_company.name, t.name)::text AS display_name,
       t.name::text AS tenant_name,
       first_company.name::text AS company_name
  FROM tenants t
  LEFT JOIN LATERAL (
        SELECT c.name FROM companies c WHERE c.tenant_id = t.id ORDER BY c.created NULLS LAST, c.id LIMIT 1
  ) first_company ON true;

COMMENT ON VIEW tenant_display_names IS
'The one display name of each tenant: its first company''s name (by creation, then id), else the tenant''s own name. Used by cost-sync''s reports and its CLI to find a tenant by name.';
COMMENT ON COLUMN tenant_display_names.tenant_id IS 'tenants.id.';
COMMENT ON COLUMN tenant_display_names.display_name IS 'company_name when the tenant has a company, else tenant_name (NULL when neither is known).';
COMMENT ON COLUMN tenant_display_names.tenant_name IS 'tenants.name.';
COMMENT ON COLUMN tenant_display_names.company_name IS 'The name of the tenant''s first company (by creation, then id); NULL without one.';

-- The same readers as the fleet views: names are not cost data, but this view lists every tenant,
-- which no tenant's own session may read.
REVOKE ALL ON tenant_display_names FROM PUBLIC;
REVOKE ALL ON tenant_display_names FROM application_service;
GRANT SELECT ON tenant_display_names TO business_analysts, executives;
GRANT ALL ON tenant_display_names TO db_administrators;
