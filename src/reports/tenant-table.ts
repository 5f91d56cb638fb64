import { signedDifference } from "./decimal.js";
import { healthColor, type ExecutiveTenant, type TenantSort } from "./executive-page-data.js";
import { amount, percent, tenantHref, tenantName } from "./figures.js";
import { groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { htmlTable, type Column } from "./html-table.js";
import { humanMonth } from "./dates.js";
import { sortTenants } from "./tenant-order.js";

/** A coloured pill that also prints its text: colour is never the only cue. `color` is one of the page's own. */
export function pill(text: string, color: string): string {
  return `<span class="pill" style="background:${color}">${esc(text)}</span>`;
}

/** A health status as a pill of its colour. */
export function healthPill(h: string): string {
  return pill(h, healthColor(h));
}

const TITLES: Record<TenantSort, string> = {
  margin: "worst margin first",
  profit: "worst profit first",
  cost: "most costly first",
  revenue: "most revenue first",
  name: "by name",
};

/** A column header; on the served page, a link that sorts the table by it. */
function header(text: string, sort: TenantSort | undefined, o: { current: TenantSort; served: boolean }): string {
  if (sort === undefined || !o.served) return esc(text);
  const mark = sort === o.current ? " ▾" : "";
  return `<a href="?sort=${sort}" title="Sort: ${esc(TITLES[sort])}">${esc(text)}${mark}</a>`;
}

function marginChange(t: ExecutiveTenant): string {
  const before = t.lastClose;
  if (!before) return `<span class="na">new</span>`;
  if (t.marginPercent === null || before.marginPercent === null) return `<span class="na">n/a</span>`;
  const d = signedDifference(t.marginPercent, before.marginPercent);
  const tone = d.startsWith("-") ? " neg" : "";
  return `<span class="amt${tone}">${esc(d)} pp</span>`;
}

/**
 * The tenants, worst margin first by default: the first `n` in the chosen order, a count of the rest. Served,
 * the headers sort (`?sort=`) and names open the tenant's page; a file keeps the default order and plain names.
 */
export function tenantTableSection(
  tenants: readonly ExecutiveTenant[],
  o: { n: number; sort: TenantSort; served: boolean; closeMonth: string | undefined },
): string {
  const heading = `<h2>Tenants, ${esc(TITLES[o.sort])}</h2>`;
  if (tenants.length === 0)
    return `<section class="card">${heading}<p class="empty">No tenants with figures yet.</p></section>`;
  const h = (text: string, sort?: TenantSort) => header(text, sort, { current: o.sort, served: o.served });
  const since = o.closeMonth === undefined ? "Margin change" : `Margin vs ${humanMonth(o.closeMonth)}`;
  const columns: Column[] = [
    { header: h("Tenant", "name"), label: "Tenant" },
    { header: h("Revenue (USD)", "revenue"), label: "Revenue (USD)", numeric: true },
    { header: h("Cost (USD)", "cost"), label: "Cost (USD)", numeric: true },
    { header: h("Profit (USD)", "profit"), label: "Profit (USD)", numeric: true, wideOnly: true },
    { header: h("Margin", "margin"), label: "Margin", numeric: true },
    { header: esc(since), label: since, numeric: true, wideOnly: o.closeMonth === undefined },
    { header: "Health", label: "Health" },
  ];
  const shown = sortTenants(tenants, o.sort).slice(0, o.n);
  const rows = shown.map((t) => [
    tenantName(t.companyName, t.tenantId, o.served ? tenantHref(t.tenantId) : undefined),
    amount(t.revenue),
    amount(t.cost),
    amount(t.profit),
    percent(t.marginPercent),
    marginChange(t),
    healthPill(t.health),
  ]);
  const hint = o.served
    ? "Sort by a column's heading; a name opens the tenant's page."
    : "The served page (/reports/executive) sorts by any column and opens each tenant's page.";
  return (
    `<section class="card">${heading}<p class="sub">${esc(hint)}</p>` +
    `${htmlTable(columns, rows, "tenants")}${restLine(shown.length, tenants.length)}</section>`
  );
}

function restLine(shown: number, total: number): string {
  const rest = total - shown;
  const plural = (k: number): string => (k === 1 ? "" : "s");
  const text =
    rest > 0
      ? `…and ${groupThousands(rest)} more tenant${plural(rest)} not shown (${groupThousands(total)} in total).`
      : `All ${groupThousands(total)} tenant${plural(total)} shown.`;
  return `<p class="more">${esc(text)}</p>`;
}
