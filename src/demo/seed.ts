import type { SqlRunner } from "../db/client.js";

/** A realistic small PenguinMails fleet: tenants on plans, payments, usage, domains and IP assignments. */
export const DEMO_TENANTS = [
  { name: "Acme Mail", company: "Acme Inc.", plan: "growth" },
  { name: "Birch Outreach", company: "Birch Outreach LLC", plan: "starter" },
  { name: "Cobalt Newsletters", company: "Cobalt Media", plan: "scale" },
  { name: "Delta Shop", company: "Delta Retail", plan: "growth" },
] as const;

const PLANS = [
  { slug: "starter", name: "Starter", cents: 2900 },
  { slug: "growth", name: "Growth", cents: 9900 },
  { slug: "scale", name: "Scale", cents: 24900 },
];

/** Inserts tenants, companies, plans, subscriptions, payments and email usage. Returns tenant ids by name. */
export async function seedBusiness(db: SqlRunner): Promise<Map<string, string>> {
  for (const p of PLANS) {
    await db.$executeRawUnsafe(`INSERT INTO plans (name, slug, price_monthly, price_yearly) VALUES ($1, $2, $3, $3 * 10) ON CONFLICT (slug) DO NOTHING`, p.name, p.slug, p.cents);
  }
  const ids = new Map<string, string>();
  for (const [i, t] of DEMO_TENANTS.entries()) {
    const [row] = await db.$queryRawUnsafe<{ id: string }[]>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, t.name);
    const tenantId = row!.id;
    ids.set(t.name, tenantId);
    await db.$executeRawUnsafe(`INSERT INTO companies (tenant_id, name, workspace_name) VALUES ($1::uuid, $2, $3)`, tenantId, t.company, `ws-${i}`);
    const [sub] = await db.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end)
       SELECT $1::uuid, id, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month' FROM plans WHERE slug = $2
       RETURNING id::text`,
      tenantId,
      t.plan,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO payments (subscription_id, amount, status, processed, billing_period_start, billing_period_end)
       SELECT $1::uuid, p.price_monthly / 100.0, 'succeeded', now(), date_trunc('month', now()), date_trunc('month', now()) + interval '1 month'
         FROM plans p WHERE p.slug = $2`,
      sub!.id,
      t.plan,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO billing_analytics (tenant_id, subscription_id, emails_sent, period_start, period_end)
       VALUES ($1, $2, $3, date_trunc('day', now()) - interval '7 days', date_trunc('day', now()))`,
      tenantId,
      sub!.id,
      [40_000, 12_000, 150_000, 60_000][i]!,
    );
    await db.$executeRawUnsafe(`INSERT INTO domains (tenant_id, company_id, domain) SELECT $1::uuid, id, $2 FROM companies WHERE tenant_id = $1::uuid`, tenantId, `mail${i}.example.com`);
  }
  return ids;
}

/** Gives a tenant active assignments on IPs (what makes a shared VPS's cost theirs). */
export async function assign(db: SqlRunner, tenantId: string, ipIds: string[], status = "active"): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO domain_ip_assignments (domain_id, smtp_ip_address_id, status, assigned)
     SELECT d.id, ip, $3, now() FROM (SELECT id FROM domains WHERE tenant_id = $1::uuid LIMIT 1) d, unnest($2::uuid[]) ip`,
    tenantId,
    ipIds,
    status,
  );
}
