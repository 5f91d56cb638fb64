import type pg from "pg";

export interface Scale {
  tenants: number;
  vps: number;
  ipsPerVps: number;
  assignmentsPerIp: number;
  payments: number;
  analyticsPerTenant: number;
}

/**
 * Generates the benchmark's data set in SQL (set-based, seconds not minutes),
 * with the event triggers off (session_replication_role = replica) so seeding
 * does not enqueue 400k syncs. Costs start at 0.00, as on a first deploy.
 * VPS service ids are 1..vps, matching the simulator's generated catalogue.
 */
export async function generateFleet(c: pg.Client, s: Scale): Promise<void> {
  await c.query("SET session_replication_role = replica");
  await generateBusiness(c, s);
  await generateInfrastructure(c, s);
  await c.query("SET session_replication_role = origin");
  await c.query("ANALYZE");
}

/** Plans, tenants with their companies, subscriptions, payments, analytics and domains; temp tables t and d. */
async function generateBusiness(c: pg.Client, s: Scale): Promise<void> {
  await c.query(
    `INSERT INTO plans (name, slug, price_monthly) VALUES ('Starter', 'starter', 2900), ('Growth', 'growth', 9900), ('Scale', 'scale', 24900) ON CONFLICT DO NOTHING`,
  );
  await c.query(`CREATE TEMP TABLE t AS SELECT gen_random_uuid() AS id, g AS rn FROM generate_series(1, $1) g`, [
    s.tenants,
  ]);
  await c.query(`CREATE INDEX ON t (rn)`);
  await c.query(`INSERT INTO tenants (id, name) SELECT id, 'Tenant ' || rn FROM t`);
  await c.query(
    `INSERT INTO companies (tenant_id, name, created) SELECT id, 'Company ' || rn, now() - rn * interval '1 minute' FROM t`,
  );
  await c.query(
    `INSERT INTO companies (tenant_id, name) SELECT id, 'Second workspace ' || rn FROM t WHERE rn % 10 = 0`,
  );
  await c.query(
    `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
     SELECT t.id, (SELECT id FROM plans ORDER BY price_monthly OFFSET (t.rn % 3) LIMIT 1),
            CASE WHEN t.rn % 10 = 0 THEN 'canceled' ELSE 'active' END, date_trunc('month', now()), date_trunc('month', now()) + interval '1 month'
       FROM t`,
  );
  const perSub = Math.max(1, Math.round(s.payments / s.tenants));
  await c.query(
    `INSERT INTO payments (subscription_id, amount, status, billing_period_start, billing_period_end)
     SELECT s.id, 29.00, CASE WHEN k % 17 = 0 THEN 'failed' ELSE 'succeeded' END,
            date_trunc('month', now()) - k * interval '1 month', date_trunc('month', now()) - (k - 1) * interval '1 month'
       FROM subscriptions s, generate_series(0, $1 - 1) k`,
    [perSub],
  );
  await c.query(
    `INSERT INTO billing_analytics (tenant_id, subscription_id, emails_sent, period_start, period_end)
     SELECT s.tenant_id::text, s.id::text, 100 + k * 7, date_trunc('day', now()) - (k + 1) * interval '1 day', date_trunc('day', now()) - k * interval '1 day'
       FROM subscriptions s, generate_series(0, $1 - 1) k`,
    [s.analyticsPerTenant],
  );
  await c.query(`INSERT INTO domains (tenant_id, domain) SELECT id, 'd' || rn || '.example' FROM t`);
  await c.query(`CREATE TEMP TABLE d AS SELECT dm.id, t.rn FROM domains dm JOIN t ON t.id = dm.tenant_id`);
  await c.query(`CREATE INDEX ON d (rn)`);
}

/** VPS (owned by a tenant or shared), their IPs, and the IPs' domain assignments. */
async function generateInfrastructure(c: pg.Client, s: Scale): Promise<void> {
  // 70 % dedicated (owner), 30 % shared; 2 % decommissioned.
  await c.query(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, tenant_id, monthly_cost)
     SELECT g::text, CASE WHEN g % 50 = 0 THEN 'decommissioned' ELSE 'active' END,
            CASE WHEN g % 10 < 7 THEN (SELECT id FROM t WHERE rn = 1 + (g % $2)) END, 10.00
       FROM generate_series(1, $1) g`,
    [s.vps, s.tenants],
  );
  await c.query(
    `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status)
     SELECT v.id, '10.' || (k % 250) || '.0.1', (ARRAY['warming','warmed','assigned','degraded'])[1 + k % 4]
       FROM vps_instances v, generate_series(1, $1) k`,
    [s.ipsPerVps],
  );
  await c.query(
    `INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status)
     SELECT (SELECT id FROM d WHERE rn = 1 + ((i.n * 7 + k) % $2)), i.id, (ARRAY['active','warming','expired'])[1 + (i.n + k) % 3]
       FROM (SELECT id, row_number() OVER () AS n FROM smtp_ip_addresses) i, generate_series(1, $1) k`,
    [s.assignmentsPerIp, s.tenants],
  );
}
