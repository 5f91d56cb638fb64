-- The seed's Steps 1 and 2, corrected (see ../shared/docs/data-model.md, "defects"):
--  * ADD CONSTRAINT has no IF NOT EXISTS: each constraint is added in a DO block
--    that first checks pg_constraint, so a rerun is a no-op (defect 8).
--  * The seed's IP partial index names a status 'active' that IPs never have;
--    the index covers the statuses that cost money (every status but the IP's
--    VPS being decommissioned, which the index cannot see, so: all IP statuses
--    in use). The VPS index covers every status that costs money.
-- Plus the columns cost-sync needs: the VPS owner, per-record overrides, where a
-- figure came from, when it was synced, and why a resource could not be priced.

ALTER TABLE vps_instances ADD COLUMN IF NOT EXISTS approximate_cost DECIMAL(8,2) DEFAULT 0.00;
ALTER TABLE vps_instances ALTER COLUMN approximate_cost SET DEFAULT 0.00;
ALTER TABLE vps_instances ADD COLUMN IF NOT EXISTS tenant_id uuid;
ALTER TABLE vps_instances ADD COLUMN IF NOT EXISTS approximate_cost_override DECIMAL(8,2);
ALTER TABLE vps_instances ADD COLUMN IF NOT EXISTS approximate_cost_source text;
ALTER TABLE vps_instances ADD COLUMN IF NOT EXISTS approximate_cost_synced_at timestamptz;
ALTER TABLE vps_instances ADD COLUMN IF NOT EXISTS approximate_cost_unpriced_reason text;

ALTER TABLE smtp_ip_addresses ADD COLUMN IF NOT EXISTS approximate_cost DECIMAL(6,2) DEFAULT 0.00;
ALTER TABLE smtp_ip_addresses ALTER COLUMN approximate_cost SET DEFAULT 0.00;
ALTER TABLE smtp_ip_addresses ADD COLUMN IF NOT EXISTS approximate_cost_override DECIMAL(6,2);
ALTER TABLE smtp_ip_addresses ADD COLUMN IF NOT EXISTS approximate_cost_source text;
ALTER TABLE smtp_ip_addresses ADD COLUMN IF NOT EXISTS approximate_cost_synced_at timestamptz;
ALTER TABLE smtp_ip_addresses ADD COLUMN IF NOT EXISTS approximate_cost_unpriced_reason text;

COMMENT ON COLUMN vps_instances.approximate_cost IS
'Estimated monthly cost in USD for this Hostwinds VPS instance, derived from Hostwinds pricing APIs
(get_price_list, get_billingcycle_prices, upgrade_instance) using the active plan/specs and billing cycle.
Primary intent: track Hostwinds-related infrastructure spend per instance for internal ROI/margin analysis.
Not authoritative customer billing; final invoices remain in Finance systems.';
COMMENT ON COLUMN smtp_ip_addresses.approximate_cost IS
'Internally maintained estimated monthly cost in USD per SMTP IP address used for deliverability and cost-efficiency analysis.
Not authoritative billing; values are modeled/allocated by Finance & Operations.';
COMMENT ON COLUMN vps_instances.tenant_id IS
'Dedicated owner of this VPS (tenants.id). NULL means shared: its cost is split by the tenants holding active assignments on its IPs. Internal cost modelling only.';
COMMENT ON COLUMN vps_instances.approximate_cost_override IS
'Finance override of approximate_cost in USD/month (special contracts). When set, cost-sync writes it to approximate_cost and never replaces it with a Hostwinds price.';
COMMENT ON COLUMN smtp_ip_addresses.approximate_cost_override IS
'Finance override of approximate_cost in USD/month for this IP. When set, cost-sync never replaces it with the IP constant.';
COMMENT ON COLUMN vps_instances.approximate_cost_source IS 'Where approximate_cost came from (Hostwinds action, field and cycle; override; decommissioned).';
COMMENT ON COLUMN smtp_ip_addresses.approximate_cost_source IS 'Where approximate_cost came from (IP constant, override, decommissioned VPS).';
COMMENT ON COLUMN vps_instances.approximate_cost_synced_at IS 'When cost-sync last confirmed approximate_cost.';
COMMENT ON COLUMN smtp_ip_addresses.approximate_cost_synced_at IS 'When cost-sync last confirmed approximate_cost.';
COMMENT ON COLUMN vps_instances.approximate_cost_unpriced_reason IS 'Why the last sync could not price this VPS (the previous approximate_cost is kept); NULL when priced.';
COMMENT ON COLUMN smtp_ip_addresses.approximate_cost_unpriced_reason IS 'Why the last sync could not price this IP; NULL when priced.';

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_vps_approximate_cost_positive'
                   AND conrelid = 'vps_instances'::regclass) THEN
        ALTER TABLE vps_instances ADD CONSTRAINT chk_vps_approximate_cost_positive CHECK (approximate_cost >= 0);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_smtp_approximate_cost_positive'
                   AND conrelid = 'smtp_ip_addresses'::regclass) THEN
        ALTER TABLE smtp_ip_addresses ADD CONSTRAINT chk_smtp_approximate_cost_positive CHECK (approximate_cost >= 0);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_vps_approximate_cost_override_positive'
                   AND conrelid = 'vps_instances'::regclass) THEN
        ALTER TABLE vps_instances ADD CONSTRAINT chk_vps_approximate_cost_override_positive CHECK (approximate_cost_override >= 0);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_smtp_approximate_cost_override_positive'
                   AND conrelid = 'smtp_ip_addresses'::regclass) THEN
        ALTER TABLE smtp_ip_addresses ADD CONSTRAINT chk_smtp_approximate_cost_override_positive CHECK (approximate_cost_override >= 0);
    END IF;
END $$;

CREATE INDEX IF NOT EXISTS idx_vps_instances_approximate_cost
    ON vps_instances (approximate_cost) WHERE status IN ('active', 'provisioning', 'scheduled_decommission');
CREATE INDEX IF NOT EXISTS idx_smtp_ip_addresses_approximate_cost
    ON smtp_ip_addresses (approximate_cost) WHERE status IN ('available', 'assigned', 'warming', 'warmed', 'degraded', 'burned', 'quarantined');
CREATE INDEX IF NOT EXISTS idx_vps_instances_tenant_id ON vps_instances (tenant_id);
CREATE INDEX IF NOT EXISTS idx_smtp_ip_addresses_vps_instance_id ON smtp_ip_addresses (vps_instance_id);
