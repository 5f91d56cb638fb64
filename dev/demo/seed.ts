import type { SqlRunner } from "../../src/db/client.js";
import { execute, query } from "../../src/db/sql.js";
import { Q } from "./statements.js";

/** A realistic small PenguinMails fleet: tenants on plans, payments, usage, domains and IP assignments. */
export const DEMO_TENANTS = [
  { name: "Acme Mail", company: "Acme Inc.", plan: "growth", emails: 40_000 },
  { name: "Birch Outreach", company: "Birch Outreach LLC", plan: "starter", emails: 12_000 },
  { name: "Cobalt Newsletters", company: "Cobalt Media", plan: "scale", emails: 150_000 },
  { name: "Delta Shop", company: "Delta Retail", plan: "growth", emails: 60_000 },
] as const;

const PLANS = [
  { slug: "starter", name: "Starter", cents: 2900 },
  { slug: "growth", name: "Growth", cents: 9900 },
  { slug: "scale", name: "Scale", cents: 24900 },
];

/** The months the demo stands for: the month before last, last month and this one (months before now). */
export const DEMO_MONTHS_BACK = [2, 1, 0] as const;

/**
 * Inserts tenants, companies, plans, subscriptions, and a payment and the email usage of each of the
 * demo's months (so that its closed months have their revenue, payments and cost per 1,000 emails).
 * Returns tenant ids by name.
 */
export async function seedBusiness(db: SqlRunner): Promise<Map<string, string>> {
  for (const p of PLANS) await execute(db, Q.insertPlan, p);
  const ids = new Map<string, string>();
  for (const [i, t] of DEMO_TENANTS.entries()) {
    const [tenant] = await query(db, Q.insertTenant, { name: t.name });
    if (!tenant) throw new Error("tenant insert returned no id");
    ids.set(t.name, tenant.id);
    await execute(db, Q.insertCompany, { tenantId: tenant.id, name: t.company, workspace: `ws-${String(i)}` });
    const [sub] = await query(db, Q.insertSubscription, { tenantId: tenant.id, plan: t.plan });
    if (!sub) throw new Error(`plan ${t.plan} missing`);
    for (const back of DEMO_MONTHS_BACK) {
      await execute(db, Q.insertPayment, { subscriptionId: sub.id, plan: t.plan, back });
      await execute(db, Q.insertUsage, { tenantId: tenant.id, subscriptionId: sub.id, emails: t.emails, back });
    }
    await execute(db, Q.insertDomain, { tenantId: tenant.id, domain: `mail${String(i)}.example.com` });
  }
  return ids;
}

/** Gives a tenant assignments on IPs (what makes a shared VPS's cost theirs). */
export async function assign(db: SqlRunner, tenantId: string, ipIds: string[], status = "active"): Promise<void> {
  await execute(db, Q.assignIps, { tenantId, ipIds, status });
}
