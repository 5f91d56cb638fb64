import type { SqlRunner } from "../client.js";
import type { Scope } from "../month-end/forecast-history.js";
import { query, statement } from "../sql.js";

/** Budget changes (docs/forecast.md, "Budgets"): every change kept in cost_budgets with who and why. */
export interface BudgetChange {
  scope: Scope;
  scopeId: string;
  /** USD per month as a decimal string; null clears the scope's budget. */
  amount: string | null;
  fromMonth: string;
  changedBy: string;
  reason: string;
}

type RecordParams = {
  scope: string;
  scopeId: string;
  amount: string | null;
  fromMonth: string;
  changedBy: string;
  reason: string;
};
const RECORD = statement<RecordParams, { id: string }>("budgets/record");

/** Records a change; returns its id. */
export async function recordBudget(db: SqlRunner, c: BudgetChange): Promise<string> {
  const [row] = await query(db, RECORD, { ...c, fromMonth: `${c.fromMonth}-01` });
  if (!row) throw new Error("budget change not recorded");
  return row.id;
}
