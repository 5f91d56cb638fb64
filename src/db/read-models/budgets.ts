import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";
import type { Scope } from "../month-end/forecast-history.js";
import type { CappedList } from "../../capped-list.js";

/** Budgets in force (docs/forecast.md, "Budgets"); changes are written by ../writes/budgets.ts. */

export interface BudgetInForce {
  scope: Scope;
  scopeId: string;
  amount: string;
  fromMonth: string;
  changedBy: string;
  reason: string;
  changedAt: Date;
}

const IN_FORCE = statement<{ month: string }, BudgetInForce>("budgets/in-force");

/** The budgets in force in `month` (YYYY-MM). */
export function budgetsInForce(db: SqlRunner, month: string): Promise<BudgetInForce[]> {
  return query(db, IN_FORCE, { month: `${month}-01` });
}

export interface BudgetAtRisk {
  scope: Scope;
  id: string | null;
  amount: string;
  actual: string | null;
  monthEndForecastP50: string | null;
  monthEndForecastP90: string | null;
  status: "at_risk" | "over";
}

const AT_RISK = statement<{ limit: number }, BudgetAtRisk & { total: number }>("budgets/at-risk");

/** Budgets at risk or over this month, per the stored forecast: the first `limit`, and how many in all. */
export async function budgetsAtRisk(db: SqlRunner, limit: number): Promise<CappedList<BudgetAtRisk>> {
  const rows = await query(db, AT_RISK, { limit });
  const shown = rows.map((r) => ({ scope: r.scope, id: r.id, amount: r.amount, actual: r.actual, monthEndForecastP50: r.monthEndForecastP50, monthEndForecastP90: r.monthEndForecastP90, status: r.status })); // prettier-ignore
  return { total: rows[0]?.total ?? 0, shown };
}
