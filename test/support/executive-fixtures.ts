import type pg from "pg";
import { withClient } from "./pg.js";

type Q = <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/**
 * Fixtures for the executive figures: tenants with revenue and payments, VPS and IPs with costs, runs.
 * `since` backdates the subscriptions, VPS and IPs (their `created`) and the reconciliation runs
 * (`started_at`): a month close freezes the month's own figures, rebuilt as of its last instant
 * (cost_attribution_as_of), so a test that closes a past month needs rows that existed in it.
 * Without it they are created now.
 */
export function executiveFixtures(url: string, o: { since?: string } = {}) {
  const since = o.since ?? null;
  const q: Q = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
    withClient(url, async (c) => (await c.query<T>(sql, params)).rows);

  /** A tenant with one company and an active subscription (plan in cents), optionally paid and without subscription. */
  async function tenant(name: string, planCents: number, o: { payments?: string[]; subscribed?: boolean } = {}) {
    const [t] = await q<{ id: string }>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, [name]);
    await q(`INSERT INTO companies (tenant_id, name) VALUES ($1, $2)`, [t!.id, `${name} Inc.`]);
    const [p] = await q<{ id: string }>(
      `INSERT INTO plans (name, slug, price_monthly) VALUES ($1, $2, $3) RETURNING id::text`,
      [`Plan ${name}`, `plan-${name}-${t!.id}`, planCents],
    );
    const [s] = await q<{ id: string }>(
      `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end, created)
       VALUES ($1, $2, $3, date_trunc('month', now()), date_trunc('month', now()) + interval '1 month',
               COALESCE($4::timestamptz, now())) RETURNING id::text`,
      [t!.id, p!.id, o.subscribed === false ? "canceled" : "active", since],
    );
    for (const amount of o.payments ?? [])
      await q(
        `INSERT INTO payments (subscription_id, amount, status, billing_period_start) VALUES ($1, $2, 'succeeded', now())`,
        [s!.id, amount],
      );
    await q(`INSERT INTO domains (tenant_id, domain) VALUES ($1, $2)`, [t!.id, `${name}.example`]);
    return t!.id;
  }

  /** A VPS with a modelled cost, an owner or none, and IPs with their costs; returns the IP ids. `created`: when it (and its IPs) appeared. */
  async function vps(
    cost: string,
    owner: string | null,
    ips: string[] = [],
    created: string | null = since,
  ): Promise<string[]> {
    const [v] = await q<{ id: string }>(
      `INSERT INTO vps_instances (status, tenant_id, approximate_cost, created)
       VALUES ('active', $1, $2, COALESCE($3::timestamptz, now())) RETURNING id::text`,
      [owner, cost, created],
    );
    const ids: string[] = [];
    for (const c of ips) {
      const [ip] = await q<{ id: string }>(
        `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost, created)
         VALUES ($1, '10.0.0.1', 'warmed', $2, COALESCE($3::timestamptz, now())) RETURNING id::text`,
        [v!.id, c, created],
      );
      ids.push(ip!.id);
    }
    return ids;
  }

  /** A completed reconciliation that found untracked instances (cost in USD) and one anomaly. */
  async function completedRun(untrackedCost: string, instances: number): Promise<string> {
    const [r] = await q<{ id: string }>(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, started_at, finished_at, untracked_instances,
                                             untracked_unpriced, untracked_monthly_cost, ghost_rows)
       VALUES (gen_random_uuid()::text, 'test', 'completed', COALESCE($3::timestamptz, now()), now(), $1, 0, $2, 0)
       RETURNING id::text`,
      [instances, untrackedCost, since],
    );
    return r!.id;
  }

  const refresh = async () => {
    await q(`REFRESH MATERIALIZED VIEW CONCURRENTLY cost_attribution_by_tenant`);
    await q(`REFRESH MATERIALIZED VIEW CONCURRENTLY tenant_business_snapshot`);
  };

  return { q, tenant, vps, completedRun, refresh };
}
