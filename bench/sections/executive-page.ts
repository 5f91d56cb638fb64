import type pg from "pg";
import type { createDb } from "../../src/db/client.js";
import { executivePages } from "../../src/services/executive/executive-pages.js";
import { forecastForPage } from "../../src/services/forecast/page-figures.js";
import type { Report } from "../context.js";
import { median, ms, timeRuns } from "../measure.js";

const SECTION = "7 forecast";

/**
 * What GET /reports/executive costs on the forecast section's generated history (issue #25: the served
 * page forecasts): the page's own work (read, forecast, render) through the service the ops port calls,
 * a fresh service per run (nothing cached), the fleet forecast alone, and the page served again by one
 * service within one attribution refresh (its forecast cached). Medians of 5, side by side in one run.
 */
export async function executivePageFigures(report: Report, c: pg.Client, db: ReturnType<typeof createDb>) {
  const add = (metric: string, value: string) => report.add({ section: SECTION, metric, value });
  await c.query(`REFRESH MATERIALIZED VIEW tenant_business_snapshot`);
  const cold = await timeRuns(5, () => executivePages(db).overview("margin"));
  add("GET /reports/executive work (read, forecast, render), no cache, median of 5", ms(median(cold)));
  const fc = await timeRuns(5, () => forecastForPage(db, { months: 6 }));
  add("of which the page's fleet forecast, median of 5", ms(median(fc)));
  const pages = executivePages(db);
  await pages.overview("margin");
  const warm = await timeRuns(5, () => pages.overview("margin"));
  add("GET /reports/executive work, forecast cached for the attribution refresh, median of 5", ms(median(warm)));
}
