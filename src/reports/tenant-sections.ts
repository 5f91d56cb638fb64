import { geometry } from "./decimal.js";
import { healthColor, type ExecutiveTenant } from "./executive-page-data.js";
import { tenantHref, tenantName } from "./figures.js";
import { groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { topTenantsByCost } from "./tenant-order.js";

export { topTenantsByCost } from "./tenant-order.js";

/** A bar's length as a share of the longest, for CSS (a number, never text from the data). */
function width(value: number, max: number): string {
  return max > 0 ? `${(Math.round((value / max) * 1000) / 10).toFixed(1)}%` : "0%";
}

/**
 * The most costly tenants as bars: HTML rather than SVG, so that on a phone each name wraps above its bar
 * at a readable size instead of shrinking with a drawing. The value printed is the exact string.
 */
export function topTenantsSection(tenants: readonly ExecutiveTenant[], n: number, served: boolean): string {
  const top = topTenantsByCost(tenants, n);
  const heading = `<h2>Top ${esc(groupThousands(top.length || n))} tenants by modelled cost</h2>`;
  if (top.length === 0)
    return `<section class="card">${heading}<p class="empty">No tenants with figures yet.</p></section>`;
  const max = Math.max(0, ...top.map((t) => geometry(t.cost)));
  const rows = top.map((t) => {
    // The name is beside the bar; no text from a tenant goes in an attribute.
    const title = esc(`cost ${t.cost} USD, revenue ${t.revenue} USD, ${t.health}`);
    return (
      `<li><span class="bar-l">${tenantName(t.companyName, t.tenantId, served ? tenantHref(t.tenantId) : undefined)}</span>` +
      `<span class="bar-t" title="${title}"><span class="bar" style="width:${width(geometry(t.cost), max)};` +
      `background:${healthColor(t.health)}"></span><span class="bar-v">${esc(t.cost)} USD</span></span></li>`
    );
  });
  return (
    `<section class="card">${heading}<p class="sub">USD per month; bar colour shows the tenant's health.</p>` +
    `<ul class="bars" aria-label="Top tenants by modelled cost">${rows.join("")}</ul></section>`
  );
}
