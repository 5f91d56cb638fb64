import type { SqlRunner } from "../../db/client.js";
import { budgetsInForce } from "../../db/read-models/budgets.js";
import { recordBudget } from "../../db/writes/budgets.js";
import { centsOf, formatCents } from "../../money.js";
import { monthOf } from "../../months.js";
import { InputError } from "../errors.js";
import { forecast } from "./forecast-service.js";
import type { NamedScope } from "./scope.js";

export type BudgetStatusName = "ok" | "at_risk" | "over";

/** One budget this month, as `budget list --json` prints it and the executive page shows it. */
export interface BudgetStatus {
  scope: NamedScope["scope"];
  /** The tenant's uuid, the plan's rid; null for the fleet. */
  id: string | null;
  amount: string;
  /** The scope's cost now (the run-rate). */
  actual: string;
  monthEndForecastP50: string;
  /** null when the forecast has no interval (fewer than 6 months of history). */
  monthEndForecastP90: string | null;
  /** over: p50 or the cost now over budget; at_risk: p90 over budget; else ok. */
  status: BudgetStatusName;
  month: string;
  fromMonth: string;
  changedBy: string;
  reason: string;
}

/** The status rule (docs/forecast.md, "Budgets"); also the SQL of executive_budget_status. */
function statusOf(amount: bigint, o: { actual: bigint; p50: bigint; p90: bigint | null }): BudgetStatusName {
  if (o.p50 > amount || o.actual > amount) return "over";
  if ((o.p90 ?? o.p50) > amount) return "at_risk";
  return "ok";
}

/** Sets a scope's budget from `fromMonth` on (the current month or later); the earlier value stays on record. */
export async function setBudget(
  db: SqlRunner,
  o: { scope: NamedScope; cents: bigint; fromMonth: string; changedBy: string; reason: string; now?: Date },
): Promise<string> {
  if (o.cents <= 0n) throw new InputError(`a budget must be more than 0.00 USD per month, got ${formatCents(o.cents)}`);
  checkFrom(o.fromMonth, o.now);
  return recordBudget(db, { scope: o.scope.scope, scopeId: o.scope.scopeId, amount: formatCents(o.cents), fromMonth: o.fromMonth, changedBy: o.changedBy, reason: o.reason }); // prettier-ignore
}

/** Clears a scope's budget from `fromMonth` on (kept on record as a change with no amount). */
export async function clearBudget(
  db: SqlRunner,
  o: { scope: NamedScope; fromMonth: string; changedBy: string; reason: string; now?: Date },
): Promise<string> {
  checkFrom(o.fromMonth, o.now);
  return recordBudget(db, { scope: o.scope.scope, scopeId: o.scope.scopeId, amount: null, fromMonth: o.fromMonth, changedBy: o.changedBy, reason: o.reason }); // prettier-ignore
}

function checkFrom(fromMonth: string, now = new Date()): void {
  if (fromMonth < monthOf(now))
    throw new InputError(
      `--from ${fromMonth} has passed: a budget starts in the current month (${monthOf(now)}) or later`,
    );
}

/** Every budget in force this month against the forecast of its scope's month-end figure. */
export async function budgetStatuses(db: SqlRunner, now = new Date()): Promise<BudgetStatus[]> {
  const month = monthOf(now);
  const out: BudgetStatus[] = [];
  for (const b of await budgetsInForce(db, month)) {
    const [f] = await forecast(db, { months: 0, now, scope: { scope: b.scope, scopeId: b.scopeId } });
    if (!f) continue;
    const amount = centsOf(b.amount) ?? 0n;
    const t = f.thisMonth;
    out.push({
      scope: b.scope,
      id: b.scopeId === "" ? null : b.scopeId,
      amount: b.amount,
      actual: t.runRate,
      monthEndForecastP50: t.p50,
      monthEndForecastP90: t.p90,
      status: statusOf(amount, { actual: centsOf(t.runRate) ?? 0n, p50: centsOf(t.p50) ?? 0n, p90: centsOf(t.p90) }),
      month,
      fromMonth: b.fromMonth,
      changedBy: b.changedBy,
      reason: b.reason,
    });
  }
  return out;
}
