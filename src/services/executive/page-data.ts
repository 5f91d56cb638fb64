import type { SqlRunner } from "../../db/client.js";
import { loadExecutivePage } from "../../db/read-models/executive-page.js";
import { tenantById } from "../../db/read-models/tenant-names.js";
import type { ExecutiveBudget, ExecutivePageData } from "../../reports/executive-page-data.js";
import { budgetStatuses, forecastForPage, type BudgetStatus } from "../forecast/page-figures.js";
import type { PageForecastReader } from "./forecast-cache.js";
import { pageSavings } from "./page-savings.js";

/** How many months past this one the page's forecast reaches. */
export const FORECAST_MONTHS = 6;

/**
 * Everything the executive page draws: the figures of the executive views, the fleet's forecast (the
 * trend chart continues with it), the budgets in force, and the savings available (the top five). The
 * CLI's `report executive --html` and the ops port both read the page through here, so they show the same parts.
 */
export async function executivePageData(
  db: SqlRunner,
  o: { now?: Date; forecast?: PageForecastReader } = {},
): Promise<ExecutivePageData> {
  const page = await loadExecutivePage(db);
  const now = o.now ?? new Date();
  const read = o.forecast ?? ((k) => forecastForPage(db, { months: FORECAST_MONTHS, now: k.now }));
  const f = await read({ attributionRefreshedAt: page.freshness.attributionRefreshedAt, now });
  // The chart's last point is the last closed month; the forecast continues after it, never over it.
  const lastClosed = page.trend?.at(-1)?.month ?? "";
  const forecast = f.months
    .filter((m) => m.month > lastClosed)
    .map((m) => ({ month: m.month, cost: m.p50, low: m.p10, high: m.p90 }));
  const budgets = await Promise.all((await budgetStatuses(db, now)).map((b) => pageBudget(db, b)));
  const savings = await pageSavings(db);
  return { ...page, forecast, forecastNote: f.note, budgets: { items: budgets }, ...(savings ? { savings } : {}) };
}

/** A budget as the page's card shows it: named for people, judged by the month-end forecast's median. */
async function pageBudget(db: SqlRunner, b: BudgetStatus): Promise<ExecutiveBudget> {
  const status = b.status === "at_risk" ? "at risk" : b.status;
  const common = { budget: b.amount, forecast: b.monthEndForecastP50, status } as const;
  if (b.scope === "tenant" && b.id !== null) {
    const t = await tenantById(db, b.id);
    return { ...common, name: t?.name ?? b.id, tenantId: b.id };
  }
  return { ...common, name: b.scope === "plan" ? `Plan rid ${b.id ?? ""}` : "Fleet", tenantId: null };
}
