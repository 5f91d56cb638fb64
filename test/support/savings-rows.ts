import { withClient } from "./pg.js";

/** An opportunity row as a test writes it straight into cost_savings_opportunities (docs/savings.md). */
export interface SavingsRow {
  id: string;
  kind: "billing_cycle" | "idle_ip" | "idle_vps" | "billed_after_decommission" | "untracked";
  serviceid?: string | null;
  ip?: string | null;
  tenantId?: string | null;
  monthly: string;
  state?: "open" | "dismissed" | "done";
  /** false: not found by the latest refresh. */
  current?: boolean;
  firstSeen?: string;
}

/** A finished savings refresh, then the opportunities as given (no refresh logic: the readers' tests). */
export async function insertSavings(url: string, rows: readonly SavingsRow[]): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO cost_savings_runs (trigger, started_at, finished_at, idle_days, opportunities, opened, done, reopened)
       VALUES ('test', now() - interval '1 minute', now(), 14, $1, $1, 0, 0)`,
      [rows.length],
    );
    for (const r of rows) {
      const state = r.state ?? "open";
      await c.query(
        `INSERT INTO cost_savings_opportunities (id, kind, serviceid, ip, tenant_id, monthly_saving, method, evidence,
                                                 facts_hash, state, current, first_seen, last_seen,
                                                 dismissed_at, dismissed_by, dismiss_reason, done_at, done_reason)
         VALUES ($1, $2, $3, $4, $5, $6, 'test', '{}', 'h', $7, $8, COALESCE($9::timestamptz, now()), now(),
                 CASE WHEN $7 = 'dismissed' THEN now() END, CASE WHEN $7 = 'dismissed' THEN 'test' END,
                 CASE WHEN $7 = 'dismissed' THEN 'test' END, CASE WHEN $7 = 'done' THEN now() END,
                 CASE WHEN $7 = 'done' THEN 'test' END)`,
        [r.id, r.kind, r.serviceid ?? null, r.ip ?? null, r.tenantId ?? null, r.monthly, state, r.current ?? true, r.firstSeen ?? null], // prettier-ignore
      );
    }
  });
}
