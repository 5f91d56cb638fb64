-- PenguinMails tables as documented (../shared/docs/data-model.md).
-- In production the main application owns and has already created them: every
-- statement here is CREATE ... IF NOT EXISTS, so this migration is a no-op there
-- and builds a faithful copy in dev, test and demo databases.

CREATE TABLE IF NOT EXISTS tenants (
    id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name    text,
    created timestamptz DEFAULT now(),
    updated timestamptz DEFAULT now(),
    deleted timestamptz
);

CREATE TABLE IF NOT EXISTS companies (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id      uuid REFERENCES tenants(id),
    name           varchar(100) NOT NULL,
    workspace_name varchar(255) UNIQUE,
    status         varchar(20) DEFAULT 'active',
    created        timestamptz DEFAULT now(),
    updated        timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS plans (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name          varchar(100) NOT NULL,
    slug          varchar(100) UNIQUE NOT NULL,
    price_monthly integer,
    price_yearly  integer,
    is_active     boolean DEFAULT true,
    created       timestamptz DEFAULT now(),
    updated       timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS subscriptions (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id            uuid REFERENCES tenants(id),
    plan_id              uuid REFERENCES plans(id),
    status               varchar(50) CHECK (status IN ('active', 'past_due', 'canceled', 'unpaid')),
    current_period_start timestamptz,
    current_period_end   timestamptz,
    created              timestamptz DEFAULT now(),
    updated              timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS payments (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id      uuid REFERENCES subscriptions(id),
    amount               decimal(10,2) NOT NULL,
    currency             varchar(3) DEFAULT 'USD',
    status               varchar(20) NOT NULL, -- succeeded | failed | refunded
    processed            timestamptz,
    billing_period_start timestamptz,
    billing_period_end   timestamptz,
    created              timestamptz DEFAULT now()
);

-- Documented as living in an analytics database with TEXT ids; the seed's views
-- join it in the same database, so it lives here too.
CREATE TABLE IF NOT EXISTS billing_analytics (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       text NOT NULL,
    subscription_id text,
    emails_sent     int DEFAULT 0,
    period_start    timestamptz NOT NULL,
    period_end      timestamptz NOT NULL,
    updated         timestamptz DEFAULT now(),
    UNIQUE (tenant_id, period_start, period_end)
);

CREATE TABLE IF NOT EXISTS vps_instances (
    id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    hostwinds_instance_id        varchar(255) UNIQUE,
    ip_address                   varchar(45),
    region                       varchar(50),
    status                       varchar(50) CHECK (status IN ('active', 'provisioning', 'scheduled_decommission', 'decommissioned')),
    monthly_cost                 decimal(10,2),
    hostwinds_billing_day        int,
    current_billing_period_start timestamptz,
    current_billing_period_end   timestamptz,
    decommission_scheduled_for   timestamptz,
    created                      timestamptz DEFAULT now(),
    updated                      timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS smtp_ip_addresses (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    vps_instance_id  uuid REFERENCES vps_instances(id) ON DELETE CASCADE,
    ip_address       varchar(45) NOT NULL,
    status           varchar(50) CHECK (status IN ('available', 'assigned', 'warming', 'warmed', 'degraded', 'burned', 'quarantined')),
    reputation_state varchar(50),
    assigned_count   int DEFAULT 0,
    created          timestamptz DEFAULT now(),
    updated          timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS domains (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id  uuid NOT NULL,
    company_id uuid REFERENCES companies(id),
    domain     varchar(253) NOT NULL,
    created    timestamptz DEFAULT now(),
    updated    timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS domain_ip_assignments (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    domain_id          uuid REFERENCES domains(id),
    smtp_ip_address_id uuid REFERENCES smtp_ip_addresses(id),
    status             varchar(50) CHECK (status IN ('active', 'warming', 'scheduled', 'expired')),
    assigned           timestamptz,
    expires            timestamptz
);

CREATE TABLE IF NOT EXISTS system_config (
    key          varchar(255) PRIMARY KEY,
    value        jsonb,
    description  text,
    category     varchar(100),
    is_sensitive boolean DEFAULT false,
    updated_by   varchar(255),
    updated      timestamptz DEFAULT now()
);
