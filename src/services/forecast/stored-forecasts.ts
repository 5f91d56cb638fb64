import type { SqlRunner } from "../../db/client.js";
import { storeForecasts, type StoredForecastRow } from "../../db/writes/forecast-store.js";
import { forecast, type ScopeForecast } from "./forecast-service.js";

/** Months ahead the stored forecast (executive views, budgets, Grafana) covers. */
const STORED_MONTHS = 12;

const rowsOf = (f: ScopeForecast): StoredForecastRow[] => [
  { scope: f.scope, scopeId: f.scopeId, month: f.thisMonth.month, runRate: f.thisMonth.runRate, p10: f.thisMonth.p10, p50: f.thisMonth.p50, p90: f.thisMonth.p90, historyMonths: f.historyMonths }, // prettier-ignore
  ...f.months.map((m) => ({ scope: f.scope, scopeId: f.scopeId, month: m.month, runRate: null, p10: m.p10, p50: m.p50, p90: m.p90, historyMonths: f.historyMonths })), // prettier-ignore
];

/**
 * Forecasts the fleet, every tenant and every plan and replaces the stored forecasts
 * (cost_forecasts, read by executive_cost_forecast and executive_budget_status). Returns the
 * scopes forecast. The worker runs it with its periodic refresh.
 */
export async function refreshStoredForecasts(db: SqlRunner, now = new Date()): Promise<number> {
  const all = await forecast(db, { months: STORED_MONTHS, now });
  await storeForecasts(db, { scopes: all, rows: all.flatMap(rowsOf), at: now });
  return all.length;
}
