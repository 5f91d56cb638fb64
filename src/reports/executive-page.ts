/**
 * The executive page: one self-contained HTML document with static SVG charts, built from
 * figures already computed in PostgreSQL. Internal cost modelling: never billing, never shown
 * to tenants. Pure: no I/O, no clock, no randomness, so the same data renders the same bytes.
 */
import { attentionSection } from "./attention-sections.js";
import type { ExecutivePageData, ExecutivePageOptions } from "./executive-page-data.js";
import { fleetSection } from "./fleet-section.js";
import { headerSection } from "./header-section.js";
import { healthSection } from "./health-section.js";
import { kpiSection } from "./kpi-section.js";
import { FOOTER, pageShell } from "./page-shell.js";
import { tenantTableSection } from "./tenant-table.js";
import { topTenantsSection } from "./tenant-sections.js";
import { trendSection } from "./trend-section.js";
import { topCount, validate } from "./validate.js";

export type * from "./executive-page-data.js";
export { TENANT_SORTS } from "./executive-page-data.js";
export { topTenantsByCost } from "./tenant-sections.js";
export { sortTenants } from "./tenant-order.js";

/**
 * Renders the executive page for `data`: the header with freshness, the headline cards (each with
 * its change since the last closed month), the tenants' health, what needs attention (anomalies,
 * budgets, savings, where given), the tenant table (worst margin first unless `opts.sort` says
 * otherwise), the fleet's cost, the most costly tenants (`opts.topTenants`, default 10, at most
 * 100), and the trend with its forecast.
 *
 * Every amount shown is the exact string given. Company names are untrusted and are shown
 * as inert text. Throws a TypeError when an amount is not a decimal string, a date is invalid
 * or a month is not YYYY-MM, and a RangeError when `topTenants` or `sort` is out of range.
 */
export function renderExecutivePage(data: ExecutivePageData, opts?: ExecutivePageOptions): string {
  validate(data);
  const { n, sort } = topCount(opts);
  const served = opts?.served ?? false;
  const closeMonth = data.lastClose?.month;
  const body = [
    headerSection({
      title: "Hostwinds infrastructure cost",
      generatedAt: data.generatedAt,
      freshness: [
        { label: "Per-tenant figures recomputed", at: data.freshness.attributionRefreshedAt },
        { label: "Hostwinds prices last reconciled", at: data.freshness.lastReconciliationAt },
      ],
    }),
    kpiSection(data),
    healthSection(data.tenants, closeMonth),
    attentionSection(data),
    tenantTableSection(data.tenants, { n, sort, served, closeMonth }),
    fleetSection(data),
    topTenantsSection(data.tenants, n, served),
    trendSection(data.trend, data.forecast),
    FOOTER,
  ].join("\n");
  return pageShell("Hostwinds infrastructure cost — internal", body);
}
