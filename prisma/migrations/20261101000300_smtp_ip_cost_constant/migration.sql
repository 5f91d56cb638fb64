-- The per-IP monthly cost constant, owned by Finance & Operations. The value is a
-- JSON string holding an exact decimal ("4.99"), never a float. `cost-sync migrate`
-- replaces this default with SMTP_IP_MONTHLY_COST_USD when this migration is first
-- applied; after that only Finance changes it (`cost-sync config set smtp-ip-cost`).
INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by)
VALUES ('cost_sync.smtp_ip_monthly_cost_usd', '"4.99"',
        'Modelled monthly cost in USD of one dedicated SMTP IP (internal modelling, not billing). Per-IP overrides live in smtp_ip_addresses.approximate_cost_override.',
        'cost_modelling', false, 'migration')
ON CONFLICT (key) DO NOTHING;

INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by)
VALUES ('cost_sync.plan_price_unit', '"cents"',
        'Unit of plans.price_monthly used by the executive views: "cents" or "dollars".',
        'cost_modelling', false, 'migration')
ON CONFLICT (key) DO NOTHING;
