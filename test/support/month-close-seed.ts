import type pg from "pg";
import { withClient } from "./pg.js";

/**
 * A small fleet for the month-close tests, written with plain SQL: tenants with a plan (cents),
 * VPS with an owner (or none: unallocated) and IPs on them, and a completed reconciliation that
 * found untracked spend. Everything exists from SINCE on (and the reconciliation started then, which
 * is the first month cost-sync has history for), so the months the tests close are months it saw.
 */
export const SINCE = "2025-01-01T00:00:00Z";

export class MonthCloseSeed {
  constructor(readonly url: string) {}

  q<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return withClient(this.url, async (c) => (await c.query<T>(sql, params)).rows);
  }

  /** A tenant; with `planCents`, an active subscription on a plan at that price. */
  async tenant(name: string, planCents?: number): Promise<string> {
    const [t] = await this.q<{ id: string }>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id::text`, [name]);
    if (planCents === undefined) return t!.id;
    const [p] = await this.q<{ id: string }>(
      `INSERT INTO plans (name, slug, price_monthly) VALUES ($1, $2, $3) RETURNING id::text`,
      [`Plan ${name}`, `plan-${name}`, planCents],
    );
    await this.q(
      `INSERT INTO subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end, created)
       VALUES ($1, $2, 'active', date_trunc('month', now()), date_trunc('month', now()) + interval '1 month', $3)`,
      [t!.id, p!.id, SINCE],
    );
    return t!.id;
  }

  /** A VPS at `cost` owned by `owner` (null: nobody), with one IP per entry of `ips`. */
  async vps(cost: string, owner: string | null, ips: string[] = []): Promise<string> {
    const [v] = await this.q<{ id: string }>(
      `INSERT INTO vps_instances (status, tenant_id, approximate_cost, created) VALUES ('active', $1, $2, $3) RETURNING id::text`,
      [owner, cost, SINCE],
    );
    for (const c of ips)
      await this.q(
        `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost, created) VALUES ($1, '10.0.0.1', 'warmed', $2, $3)`,
        [v!.id, c, SINCE],
      );
    return v!.id;
  }

  setVpsCost(id: string, cost: string) {
    return this.q(`UPDATE vps_instances SET approximate_cost = $2 WHERE id = $1`, [id, cost]);
  }

  /** A completed reconciliation that found `instances` untracked instances costing `usd` a month. */
  untracked(usd: string, instances: number) {
    return this.q(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, started_at, finished_at, untracked_instances, untracked_monthly_cost, ghost_rows)
       VALUES ($1, 'manual', 'completed', $4, now(), $2, $3, 0)`,
      [`seed-${String(Math.random())}`, instances, usd, SINCE],
    );
  }

  /** A reconciliation started at SINCE that found nothing untracked: the history cost-sync has from then. */
  since() {
    return this.q(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, started_at, finished_at)
       VALUES ($1, 'manual', 'completed', $2, $2)`,
      [`since-${String(Math.random())}`, SINCE],
    );
  }

  async refresh(): Promise<void> {
    await this.q(`REFRESH MATERIALIZED VIEW CONCURRENTLY cost_attribution_by_tenant`);
    await this.q(`REFRESH MATERIALIZED VIEW CONCURRENTLY tenant_business_snapshot`);
  }
}
