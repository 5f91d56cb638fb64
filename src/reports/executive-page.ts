/**
 * The executive page: one self-contained HTML document with static SVG charts, built from
 * figures already computed in PostgreSQL. Internal cost modelling: never billing, never shown
 * to tenants. Pure: no I/O, no clock, no randomness, so the same data renders the same bytes.
 */
import type { ExecutivePageData, ExecutivePageOptions } from "./executive-page-data.js";
import { fleetSection, headerSection, kpiSection } from "./overview-sections.js";
import { PAGE_STYLE } from "./page-style.js";
import { healthSection, topTenantsSection } from "./tenant-sections.js";
import { trendSection } from "./trend-section.js";
import { topCount, validate } from "./validate.js";

export type {
  ExecutivePageData,
  ExecutivePageOptions,
  ExecutiveTenant,
  ExecutiveTrendMonth,
  TenantHealth,
} from "./executive-page-data.js";
export { topTenantsByCost } from "./tenant-sections.js";

// Defence in depth behind the escaping: even a tag that slipped through could neither run
// script nor fetch anything (images, fonts, frames, connections are all 'none').
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * Renders the executive page for `data`: header with freshness, fleet cost and margin, top
 * tenants by cost (`opts.topTenants`, default 10, at most 100), health distribution, trend.
 *
 * Every amount shown is the exact string given. Company names are untrusted and are shown
 * as inert text. Throws a TypeError when an amount is not a decimal string, a date is invalid
 * or a month is not YYYY-MM, and a RangeError when `topTenants` is out of range.
 */
export function renderExecutivePage(data: ExecutivePageData, opts?: ExecutivePageOptions): string {
  validate(data);
  const top = topCount(opts);
  const body = [
    headerSection(data),
    kpiSection(data),
    `<div class="row">${fleetSection(data)}${healthSection(data.tenants)}</div>`,
    topTenantsSection(data.tenants, top),
    trendSection(data.trend),
    `<footer>cost-sync · internal cost modelling, not billing · figures in USD per month</footer>`,
  ].join("\n");
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex, nofollow">` +
    `<title>Hostwinds infrastructure cost — internal</title><style>${PAGE_STYLE}</style></head>\n` +
    `<body><main>\n${body}\n</main></body></html>\n`
  );
}
