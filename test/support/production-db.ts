import { randomBytes } from "node:crypto";
import { adminQuery, createEmptyDatabase, urlFor, withClient, type TestDatabase } from "./pg.js";

/**
 * A database shaped like production before cost-sync: the documented PenguinMails tables created
 * by the application, with rows, and the variations real schemas have (docs/first-deployment.md).
 */
export interface ProductionShape {
  /** system_config.updated_by: "uuid" (REFERENCES users(id)), the same NOT NULL without default, or text. */
  updatedBy?: "uuid" | "uuid not null" | "varchar";
  /** Every table gets NOT NULL columns with defaults the application added. */
  extraNotNull?: boolean;
  /** Every table gets a BEFORE UPDATE trigger that sets `updated` (added where missing). */
  updatedTriggers?: boolean;
  /** Row-level security on vps_instances. */
  rls?: "enabled" | "forced" | "forced with policy";
  /** approximate_cost columns from an earlier manual attempt, with `badRows` negative or NaN rows. */
  manualCost?: { badRows: number };
  /** The role that creates (and owns) the tables; the database is created with it as owner. */
  owner?: string;
}

const TABLES = `
CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text);
CREATE TABLE tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text, created timestamptz DEFAULT now(),
  updated timestamptz DEFAULT now(), deleted timestamptz);
CREATE TABLE companies (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid REFERENCES tenants(id),
  name varchar(100) NOT NULL, workspace_name varchar(255) UNIQUE, status varchar(20) DEFAULT 'active',
  created timestamptz DEFAULT now(), updated timestamptz DEFAULT now());
CREATE TABLE plans (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name varchar(100) NOT NULL, slug varchar(100) UNIQUE NOT NULL,
  price_monthly integer, price_yearly integer, is_active boolean DEFAULT true, created timestamptz DEFAULT now(),
  updated timestamptz DEFAULT now());
CREATE TABLE subscriptions (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid REFERENCES tenants(id),
  plan_id uuid REFERENCES plans(id), status varchar(50) CHECK (status IN ('active', 'past_due', 'canceled', 'unpaid')),
  current_period_start timestamptz, current_period_end timestamptz, created timestamptz DEFAULT now(),
  updated timestamptz DEFAULT now());
CREATE TABLE payments (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), subscription_id uuid REFERENCES subscriptions(id),
  amount decimal(10,2) NOT NULL, currency varchar(3) DEFAULT 'USD', status varchar(20) NOT NULL, processed timestamptz,
  billing_period_start timestamptz, billing_period_end timestamptz, created timestamptz DEFAULT now());
CREATE TABLE billing_analytics (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id text NOT NULL,
  subscription_id text, emails_sent int DEFAULT 0, period_start timestamptz NOT NULL, period_end timestamptz NOT NULL,
  updated timestamptz DEFAULT now(), UNIQUE (tenant_id, period_start, period_end));
CREATE TABLE vps_instances (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), hostwinds_instance_id varchar(255) UNIQUE,
  ip_address varchar(45), region varchar(50),
  status varchar(50) CHECK (status IN ('active', 'provisioning', 'scheduled_decommission', 'decommissioned')),
  monthly_cost decimal(10,2), hostwinds_billing_day int, current_billing_period_start timestamptz,
  current_billing_period_end timestamptz, decommission_scheduled_for timestamptz, created timestamptz DEFAULT now(),
  updated timestamptz DEFAULT now());
CREATE TABLE smtp_ip_addresses (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vps_instance_id uuid REFERENCES vps_instances(id) ON DELETE CASCADE, ip_address varchar(45) NOT NULL,
  status varchar(50) CHECK (status IN ('available', 'assigned', 'warming', 'warmed', 'degraded', 'burned', 'quarantined')),
  reputation_state varchar(50), assigned_count int DEFAULT 0, created timestamptz DEFAULT now(), updated timestamptz DEFAULT now());
CREATE TABLE domains (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL, company_id uuid REFERENCES companies(id),
  domain varchar(253) NOT NULL, created timestamptz DEFAULT now(), updated timestamptz DEFAULT now());
CREATE TABLE domain_ip_assignments (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), domain_id uuid REFERENCES domains(id),
  smtp_ip_address_id uuid REFERENCES smtp_ip_addresses(id), status varchar(50) CHECK (status IN ('active', 'warming', 'scheduled', 'expired')),
  assigned timestamptz, expires timestamptz);
`;

const UPDATED_BY = {
  uuid: "updated_by uuid REFERENCES users(id)",
  "uuid not null": "updated_by uuid NOT NULL REFERENCES users(id)",
  varchar: "updated_by varchar(255)",
};

const systemConfig = (updatedBy: keyof typeof UPDATED_BY) => `
CREATE TABLE system_config (key varchar(255) PRIMARY KEY, value jsonb, description text, category varchar(100),
  is_sensitive boolean DEFAULT false, ${UPDATED_BY[updatedBy]}, updated timestamptz DEFAULT now());`;

/** Three tenants with plans, subscriptions, payments, usage; five VPS (one shared) with IPs and assignments. */
const ROWS = `
INSERT INTO users (id, email) VALUES ('00000000-0000-4000-8000-00000000000a', 'ops@penguinmails.example');
INSERT INTO tenants (id, name) SELECT ('00000000-0000-4000-8000-00000000010' || g)::uuid, 'tenant ' || g FROM generate_series(1, 3) g;
INSERT INTO companies (tenant_id, name) SELECT id, name || ' inc' FROM tenants;
INSERT INTO plans (id, name, slug, price_monthly) VALUES ('00000000-0000-4000-8000-000000000201', 'Pro', 'pro', 2900);
INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
  SELECT id, '00000000-0000-4000-8000-000000000201', 'active', now() - interval '5 days', now() + interval '25 days' FROM tenants;
INSERT INTO payments (subscription_id, amount, status, billing_period_start) SELECT id, 29.00, 'succeeded', now() FROM subscriptions;
INSERT INTO billing_analytics (tenant_id, subscription_id, emails_sent, period_start, period_end)
  SELECT tenant_id::text, id::text, 1000, now() - interval '1 day', now() FROM subscriptions;
INSERT INTO vps_instances (id, hostwinds_instance_id, status, monthly_cost)
  SELECT ('00000000-0000-4000-8000-00000000030' || g)::uuid, (1000 + g)::text,
         CASE WHEN g = 5 THEN 'decommissioned' ELSE 'active' END, 20.00 FROM generate_series(1, 5) g;
INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status)
  SELECT v.id, '198.51.100.' || row_number() OVER (), 'warmed' FROM vps_instances v, generate_series(1, 2);
INSERT INTO domains (tenant_id, company_id, domain) SELECT c.tenant_id, c.id, 'mail' || row_number() OVER () || '.example' FROM companies c;
INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status)
  SELECT d.id, (SELECT id FROM smtp_ip_addresses ORDER BY ip_address LIMIT 1), 'active' FROM domains d;
INSERT INTO system_config (key, value, updated_by) VALUES ('app.signup_open', 'true', '00000000-0000-4000-8000-00000000000a');
`;

const APP_TABLES = [
  "users",
  "tenants",
  "companies",
  "plans",
  "subscriptions",
  "payments",
  "billing_analytics",
  "vps_instances",
  "smtp_ip_addresses",
  "domains",
  "domain_ip_assignments",
  "system_config",
];

function variations(o: ProductionShape): string {
  const sql: string[] = [];
  if (o.extraNotNull) {
    for (const t of APP_TABLES) {
      sql.push(
        `ALTER TABLE ${t} ADD COLUMN row_version int NOT NULL DEFAULT 1, ADD COLUMN origin text NOT NULL DEFAULT 'app'`,
      );
    }
  }
  if (o.updatedTriggers) {
    sql.push(
      `CREATE FUNCTION set_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated = now(); RETURN NEW; END $$`,
    );
    for (const t of APP_TABLES) {
      sql.push(`ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS updated timestamptz DEFAULT now()`);
      sql.push(`CREATE TRIGGER ${t}_updated BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION set_updated()`);
    }
  }
  if (o.manualCost) sql.push(...manualCost(o.manualCost.badRows));
  if (o.rls) sql.push(...rls(o.rls, o.owner ?? "postgres"));
  return sql.join(";\n");
}

/** An earlier attempt added the columns by hand and wrote bad values into them. */
function manualCost(badRows: number): string[] {
  return [
    `ALTER TABLE vps_instances ADD COLUMN approximate_cost numeric(8,2), ADD COLUMN approximate_cost_override numeric(8,2)`,
    `ALTER TABLE smtp_ip_addresses ADD COLUMN approximate_cost numeric(6,2)`,
    `INSERT INTO vps_instances (id, hostwinds_instance_id, status, approximate_cost)
       SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, (5000 + g)::text, 'active',
              CASE WHEN g % 2 = 0 THEN 'NaN'::numeric ELSE -g END
         FROM generate_series(1, ${String(badRows)}) g`,
    `UPDATE vps_instances SET approximate_cost_override = 'NaN' WHERE hostwinds_instance_id = '1001'`,
    `UPDATE smtp_ip_addresses SET approximate_cost = -0.01 WHERE ip_address = '198.51.100.1'`,
  ];
}

function rls(mode: NonNullable<ProductionShape["rls"]>, role: string): string[] {
  const sql = [`ALTER TABLE vps_instances ENABLE ROW LEVEL SECURITY`];
  if (mode !== "enabled") sql.push(`ALTER TABLE vps_instances FORCE ROW LEVEL SECURITY`);
  if (mode === "forced with policy") {
    sql.push(`CREATE POLICY cost_sync_all ON vps_instances TO ${role} USING (true) WITH CHECK (true)`);
  }
  return sql;
}

/** A new database shaped like production; owned by `o.owner` (who creates the tables) when given. */
export async function createProductionDatabase(o: ProductionShape = {}): Promise<TestDatabase> {
  const db = await createEmptyDatabase("cs_prod");
  if (o.owner) await adminQuery(`ALTER DATABASE ${db.name} OWNER TO ${o.owner}`);
  await withClient(db.url, async (c) => {
    if (o.owner) await c.query(`SET ROLE ${o.owner}`);
    await c.query(TABLES + systemConfig(o.updatedBy ?? "uuid") + ROWS + variations(o));
  });
  return db;
}

/** A login role of its own (cluster-wide, so unique per test file), and how to drop it afterwards. */
export async function createLoginRole(
  prefix = "cs_role",
): Promise<{ name: string; url(db: TestDatabase): string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE ROLE ${name} LOGIN`);
  return {
    name,
    url: (db) => {
      const u = new URL(urlFor(db.name));
      u.username = name;
      return u.toString();
    },
    drop: () => adminQuery(`DROP ROLE IF EXISTS ${name}`),
  };
}
