import { CLOSE } from "../../src/db/month-end/month-close.js";
import { query } from "../../src/db/sql.js";
import { previousMonth } from "../../src/months.js";
import type { BenchContext } from "../context.js";
import { median, ms, timeRuns } from "../measure.js";

const SECTION = "6 month close";
const MONTHS = 24;
const ONE_TENANT = `SELECT * FROM executive_monthly_trend WHERE tenant_id = $1`;
const FLEET = `SELECT * FROM executive_monthly_trend WHERE scope = 'fleet'`;
const EVERYTHING = `SELECT * FROM executive_monthly_trend`;

/**
 * 6. Month close at the fleet's size (close-month: the refresh it starts with, then the close
 * statement), and executive_monthly_trend over 24 closed months: one tenant, the fleet's rows,
 * and every row of every tenant.
 */
export async function monthCloseSection(ctx: BenchContext): Promise<void> {
  ctx.report.log("6. month close and trend");
  const month = await closeMonthFigures(ctx);
  await earlierMonths(ctx, month);
  await trendFigures(ctx);
}

async function closeMonthFigures({ c, scale, report }: BenchContext): Promise<string> {
  const [refreshMs] = await timeRuns(1, async () => {
    await c.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY cost_attribution_by_tenant`);
    await c.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY tenant_business_snapshot`);
  });
  const month = previousMonth(new Date());
  const params = { month: `${month}-01`, closedBy: "bench", trigger: "command", reason: "bench", runId: null };
  // A close freezes the month's figures as of its last instant, rebuilt from cost_history; the fleet was
  // built and priced today, so it is moved 40 days back for the close (any day of this month minus 40
  // days lies in an earlier month) and forward again after it, untimed: a fixed interval undoes exactly.
  await shiftFleet(c, "-");
  let frozen = 0;
  const [closeMs] = await timeRuns(1, async () => {
    frozen = (await query(c, CLOSE, params))[0]?.tenants ?? 0;
  });
  const [againMs] = await timeRuns(1, () => query(c, CLOSE, params));
  await shiftFleet(c, "+");
  const size = `${String(scale.tenants)} tenants / ${String(scale.vps)} VPS`;
  report.add({ section: SECTION, metric: `close-month ${month}: the refresh it starts with (${size})`, value: ms(refreshMs ?? NaN) }); // prettier-ignore
  report.add({ section: SECTION, metric: `close-month: the close statement (${String(frozen)} tenant rows frozen)`, value: ms(closeMs ?? NaN) }); // prettier-ignore
  report.add({ section: SECTION, metric: "close-month again: the same statement, nothing written", value: ms(againMs ?? NaN) }); // prettier-ignore
  return month;
}

/** Moves the fleet's creation and cost history 40 days back ("-") or forward ("+"). */
async function shiftFleet(c: BenchContext["c"], sign: "-" | "+"): Promise<void> {
  const by = `${sign} interval '40 days'`;
  await c.query(`UPDATE cost_history SET changed_at = changed_at ${by}`);
  await c.query(`UPDATE vps_instances SET created = created ${by}`);
  await c.query(`UPDATE smtp_ip_addresses SET created = created ${by}`);
}

/**
 * The 23 months before: copies of the close just made, each tenant's figures moved a little per
 * month, so the trend has real changes to compute. Inserted in SQL: closing them one by one would
 * time the refresh 23 more times, not the trend.
 */
async function earlierMonths({ c }: BenchContext, month: string): Promise<void> {
  await c.query(
    `INSERT INTO cost_month_closes (month, closed_by, trigger, reason, tenants, vps_cost, ip_cost, total_cost,
                                    unallocated_vps_cost, unallocated_ip_cost, revenue, margin, margin_percent)
     SELECT (c.month - k * interval '1 month')::date, 'bench', 'command', 'bench', c.tenants, c.vps_cost, c.ip_cost,
            c.total_cost, c.unallocated_vps_cost, c.unallocated_ip_cost, c.revenue, c.margin, c.margin_percent
       FROM cost_month_closes c, generate_series(1, $2::int - 1) k
      WHERE c.month = $1::date AND c.reopened_at IS NULL`,
    [`${month}-01`, MONTHS],
  );
  await c.query(
    `INSERT INTO cost_month_close_tenants (close_id, month, tenant_id, vps_cost, ip_cost, total_cost, revenue, margin, margin_percent, health)
     SELECT e.id, e.month, t.tenant_id, t.vps_cost, t.ip_cost, v.total, t.revenue, t.revenue - v.total,
            CASE WHEN t.revenue > 0 THEN round((t.revenue - v.total) / t.revenue * 100, 2) END, t.health
       FROM cost_month_close_tenants t
       JOIN cost_month_closes last ON last.id = t.close_id AND last.month = $1::date AND last.reopened_at IS NULL
       JOIN cost_month_closes e ON e.month < $1::date AND e.closed_by = 'bench' AND e.reopened_at IS NULL
      CROSS JOIN LATERAL (SELECT (t.total_cost * (0.9 + ((hashtext(t.tenant_id::text || e.month::text) & 255) / 1275.0)))::numeric(14,2) AS total) v`,
    [`${month}-01`],
  );
  await c.query(`ANALYZE cost_month_closes, cost_month_close_tenants`);
}

async function trendFigures({ c, report }: BenchContext): Promise<void> {
  const tenants = (
    await c.query<{ id: string }>(`SELECT DISTINCT tenant_id::text AS id FROM cost_month_close_tenants LIMIT 20`)
  ).rows.map((r) => r.id);
  const rows = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM cost_month_close_tenants`)).rows[0]?.n;
  report.log(`  ${String(MONTHS)} closed months, ${String(rows)} tenant rows`);
  let i = 0;
  const oneMs = median(await timeRuns(20, () => c.query(ONE_TENANT, [tenants[i++ % tenants.length]])));
  report.add({ section: SECTION, metric: `trend, one tenant (${String(MONTHS)} months), median of 20`, value: ms(oneMs), target: "≤ 20 ms", met: oneMs <= 20 }); // prettier-ignore
  const fleetMs = median(await timeRuns(5, () => c.query(FLEET)));
  report.add({ section: SECTION, metric: "trend, the fleet's rows, median of 5", value: ms(fleetMs), target: "≤ 500 ms", met: fleetMs <= 500 }); // prettier-ignore
  const serverMs = median(await timeRuns(3, () => c.query(`SELECT count(*) FROM (${EVERYTHING}) x`)));
  report.add({ section: SECTION, metric: `trend, every tenant and the fleet (${String(rows)} rows) computed in PostgreSQL, median of 3`, value: ms(serverMs), target: "≤ 500 ms", met: serverMs <= 500 }); // prettier-ignore
  const allMs = median(await timeRuns(3, () => c.query(EVERYTHING)));
  report.add({ section: SECTION, metric: "trend, every row sent to and parsed by a node-postgres client, median of 3", value: ms(allMs) }); // prettier-ignore
  await printPlan({ c, report } as BenchContext, tenants[0]);
}

/** The plan of one tenant's trend: the (tenant_id, month) index, not a scan of every close. */
async function printPlan({ c, report }: BenchContext, tenant: string | undefined): Promise<void> {
  const plan = (await c.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${ONE_TENANT}`, [tenant])).rows;
  report.log(
    `  EXPLAIN (ANALYZE, BUFFERS) one tenant's trend:\n${plan
      .map((r) => r["QUERY PLAN"])
      .filter((l) => /Execution Time|Planning Time|Index Cond|Index Scan|Seq Scan|Bitmap/.test(l))
      .map((l) => `    ${l.trim()}`)
      .join("\n")}`,
  );
}
