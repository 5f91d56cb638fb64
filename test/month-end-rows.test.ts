import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { History } from "../dev/history/model.js";
import { AS_OF_HISTORY, historyDatabase, type HistoryDatabase } from "./support/history-db.js";

// The month-end figures of every month in one pass (cost_month_end_rows, docs/forecast.md) equal, row
// for row and to the cent, those of the as-of functions called month by month, on a generated history
// (growth, a price change, tenants joining and leaving, shared VPS, an override), with a change at a
// month's last microsecond and one at the next month's first, equal times, and a VPS with no history.

let w: HistoryDatabase;
let c: pg.Client;
let h: History;
const END = new Date("2026-11-20T10:00:00Z");

beforeAll(async () => {
  w = await historyDatabase("cs_month_end_rows", { ...AS_OF_HISTORY, end: END });
  ({ c, h } = w);
  const v = h.vps.find((x) => x.status === "active" && x.tenantId !== null && x.overrideCents === null);
  const shared = h.vps.find((x) => x.status === "active" && x.tenantId === null);
  if (!v || !shared) throw new Error("no live dedicated and shared VPS");
  await c.query(
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     VALUES ('vps', $1, NULL, 1000.00, 'test', 'edge', 'edge-in', '2026-08-31T23:59:59.999999Z'),
            ('vps', $1, 1000.00, 2000.00, 'get_price_list rid 99 (test)', 'edge', 'edge-out', '2026-09-01T00:00:00Z'),
            ('vps', $2, NULL, 7.00, 'test', 'tie', 'tie-1', '2026-07-15T00:00:00Z'),
            ('vps', $2, 7.00, 8.00, 'test', 'tie', 'tie-2', '2026-07-15T00:00:00Z')`,
    [v.id, shared.id],
  );
  await c.query(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost, approximate_cost_source, created)
     VALUES ('no-history-1', 'active', 12.34, 'get_price_list rid 12 (bulk)', '2026-06-10T00:00:00Z')`,
  );
});
afterAll(async () => {
  await w.close();
});

const months = () =>
  Array.from({ length: h.config.months + 1 }, (_, m) =>
    new Date(Date.UTC(h.start.getUTCFullYear(), h.start.getUTCMonth() - 1 + m, 1)).toISOString().slice(0, 10),
  );

/** forecast/refresh-month's rows before this change: the as-of functions at one month's last instant. */
const PER_MONTH = `
WITH tenants AS (SELECT * FROM cost_attribution_as_of(cost_month_last_instant($1::date))),
     plans AS (SELECT * FROM cost_plans_as_of(cost_month_last_instant($1::date)))
SELECT 'tenant' AS scope, tenant_id::text AS scope_id, vps_cost::text, ip_cost::text, NULL AS unallocated
  FROM tenants WHERE tenant_id IS NOT NULL
UNION ALL
SELECT 'fleet', '', COALESCE(sum(vps_cost), 0)::text, COALESCE(sum(ip_cost), 0)::text,
       COALESCE(sum(vps_cost + ip_cost) FILTER (WHERE tenant_id IS NULL), 0)::text
  FROM tenants
UNION ALL
SELECT 'plan', COALESCE(plan_rid, ''), vps_cost::text, ip_cost::text, NULL FROM plans
ORDER BY 1, 2`;

describe("cost_month_end_rows", () => {
  it("gives every month's rows of the as-of functions, to the cent", async () => {
    const all = await c.query<{ month: string; scope_id: string }>(
      `SELECT to_char(month, 'YYYY-MM-DD') AS month, scope, scope_id, vps_cost::text, ip_cost::text, unallocated::text
         FROM cost_month_end_rows($1::date[]) ORDER BY month, scope, scope_id`,
      [months()],
    );
    expect(new Set(all.rows.map((r) => r.month)).size).toBe(months().length);
    for (const m of months()) {
      const one = await c.query(PER_MONTH, [m]);
      const mine = all.rows.filter((r) => r.month === m).map((r) => ({ ...r, month: undefined }));
      expect(mine, m).toEqual(one.rows.map((r: object) => ({ ...r, month: undefined })));
    }
    expect(all.rows.some((r) => r.scope_id === "99")).toBe(true);
  });
});
