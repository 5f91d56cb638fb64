import type { SqlRunner } from "../../db/client.js";
import { budgetStatuses, type BudgetStatus } from "./budgets.js";
import { forecast } from "./forecast-service.js";
import { FLEET } from "./scope.js";

/** One month of the executive page's forecast band (decimal strings; p10/p90 null without an interval). */
export interface PageForecastMonth {
  month: string;
  p10: string | null;
  p50: string;
  p90: string | null;
}

/** What the executive page's trend chart continues with: the fleet's forecast. */
export interface PageForecast {
  /** The cost now. */
  runRate: string;
  /** This month first, then the next `months`. */
  months: PageForecastMonth[];
  /** Set when the history is too short for a trend and an interval. */
  note: string | null;
}

/** The fleet's forecast for the executive page: this month and the next `months` (default 6). */
export async function forecastForPage(db: SqlRunner, o: { months?: number; now?: Date } = {}): Promise<PageForecast> {
  const [f] = await forecast(db, { months: o.months ?? 6, now: o.now, scope: FLEET });
  if (!f) throw new Error("no fleet forecast");
  const t = f.thisMonth;
  return {
    runRate: t.runRate,
    months: [{ month: t.month, p10: t.p10, p50: t.p50, p90: t.p90 }, ...f.months],
    note: f.note,
  };
}

export { budgetStatuses, type BudgetStatus };
