import type { SqlRunner } from "../../db/client.js";
import { loadTenantPage } from "../../db/read-models/executive-tenant-page.js";
import type { ExecutivePages } from "../../ops/executive-routes.js";
import { renderExecutivePage } from "../../reports/executive-page.js";
import { renderTenantPage } from "../../reports/tenant-page.js";
import { cachedPageForecast } from "./forecast-cache.js";
import { executivePageData, FORECAST_MONTHS } from "./page-data.js";

/**
 * The executive pages as the ops port serves them: read from `db`, rendered with links (sorting headers,
 * tenant pages). `report executive --html` renders the same data without them.
 */
export function executivePages(db: SqlRunner): ExecutivePages {
  // The fleet forecast is computed once per attribution refresh, not per request (forecast-cache.ts).
  const forecast = cachedPageForecast(db, FORECAST_MONTHS);
  return {
    overview: async (sort) => renderExecutivePage(await executivePageData(db, { forecast }), { sort, served: true }),
    tenant: async (tenantId) => {
      const data = await loadTenantPage(db, tenantId);
      return data === null ? null : renderTenantPage(data);
    },
  };
}
