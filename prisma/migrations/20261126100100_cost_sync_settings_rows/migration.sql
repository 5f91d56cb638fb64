-- The two settings of 20261101000300_smtp_ip_cost_constant, without system_config.updated_by:
-- that column is the application's (often uuid REFERENCES users(id)), where 0300's text literal
-- fails. `cost-sync migrate` marks 0300 applied without running it when updated_by is not text
-- (docs/first-deployment.md); this migration then inserts the rows. Where 0300 did run, both rows
-- exist and nothing changes. `cost-sync migrate` sets the IP constant from
-- SMTP_IP_MONTHLY_COST_USD when the row is created by the run that applies this.
INSERT INTO system_config (key, value, description, category, is_sensitive)
VALUES ('cost_sync.smtp_ip_monthly_cost_usd', '"4.99"',
        'Modelled monthly cost in USD of one dedicated SMTP IP (internal modelling, not billing). Per-IP overrides live in smtp_ip_addresses.approximate_cost_override.',
        'cost_modelling', false)
ON CONFLICT (key) DO NOTHING;

INSERT INTO system_config (key, value, description, category, is_sensitive)
VALUES ('cost_sync.plan_price_unit', '"cents"',
        'Unit of plans.price_monthly used by the executive views: "cents" or "dollars".',
        'cost_modelling', false)
ON CONFLICT (key) DO NOTHING;
