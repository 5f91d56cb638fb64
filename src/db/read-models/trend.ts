import { firstDay } from "../month-end/month-close.js";
import { query, queryWithColumns, statement, type PgQueryable } from "../sql.js";

/**
 * `report trend`: executive_monthly_trend for the fleet or one tenant over the latest closed
 * months. Like the other reports, the columns come from the statements (an empty trend still has
 * its header) and every figure is text.
 */
type Row = Record<string, string | null>;

const MONTHS = statement<{ months: number }, { from: string | null; months: number }>("trend/months");
const FLEET = statement<{ from: string }, Row>("trend/fleet");
const TENANT = statement<{ from: string; tenantId: string }, Row>("trend/tenant");

export interface Trend {
  columns: string[];
  rows: Row[];
  /** The first month shown (null: no month is closed). */
  from: string | null;
}

/** The last `months` closed months, for the fleet or for `tenantId`. */
export async function monthlyTrend(pg: PgQueryable, o: { months: number; tenantId?: string }): Promise<Trend> {
  const from = (await query(pg, MONTHS, { months: o.months }))[0]?.from ?? null;
  // With no month closed, the statements still run (on a month nothing reaches) for their header.
  const start = firstDay(from ?? "9999-12");
  const { rows, columns } =
    o.tenantId === undefined
      ? await queryWithColumns(pg, FLEET, { from: start })
      : await queryWithColumns(pg, TENANT, { from: start, tenantId: o.tenantId });
  return { columns, rows, from };
}
