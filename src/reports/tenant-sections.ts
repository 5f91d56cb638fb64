import { decimalKey, geometry } from "./decimal.js";
import { HEALTH_COLORS, healthColor, type ExecutiveTenant, type TenantHealth } from "./executive-page-data.js";
import { formatShare, groupThousands } from "./format.js";
import { esc, escLabel } from "./html-escape.js";
import { htmlTable } from "./html-table.js";
import { amount, percent } from "./overview-sections.js";
import { barChart, donut, legend, type BarRow } from "./svg-charts.js";

// Longest name that fits the chart's label column (270 px at 13 px); the table shows it whole.
const LABEL_CHARS = 34;

/** Code-unit order: the same on every machine, unlike localeCompare. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Keyed {
  t: ExecutiveTenant;
  key: bigint;
}

/** Cost descending, then company name, then tenant id: a total order, so the chart never depends on input order. */
function byCostDesc(a: Keyed, b: Keyed): number {
  if (a.key !== b.key) return a.key > b.key ? -1 : 1;
  return byText(a.t.companyName, b.t.companyName) || byText(a.t.tenantId, b.t.tenantId);
}

/** The `n` most costly tenants, by exact cost descending, ties by company name then tenant id. */
export function topTenantsByCost(tenants: readonly ExecutiveTenant[], n: number): ExecutiveTenant[] {
  // One exact key per tenant, not one parse per comparison (10,000 tenants sort in a few ms).
  const keyed: Keyed[] = tenants.map((t) => ({ t, key: decimalKey(t.cost) }));
  return keyed
    .sort(byCostDesc)
    .slice(0, n)
    .map((k) => k.t);
}

function healthPill(h: TenantHealth): string {
  return `<span class="pill" style="background:${healthColor(h)}">${esc(h)}</span>`;
}

const COLUMNS = [
  { header: "#", numeric: true },
  { header: "Tenant" },
  { header: "Revenue (USD)", numeric: true },
  { header: "Cost (USD)", numeric: true },
  { header: "Profit (USD)", numeric: true },
  { header: "Margin", numeric: true },
  { header: "Health" },
];

function tenantTable(top: readonly ExecutiveTenant[]): string {
  const rows = top.map((t, i) => [
    String(i + 1),
    `<div class="name">${esc(t.companyName)}</div><div class="tid">${esc(t.tenantId)}</div>`,
    amount(t.revenue),
    amount(t.cost),
    amount(t.profit),
    percent(t.marginPercent),
    healthPill(t.health),
  ]);
  return htmlTable(COLUMNS, rows);
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

/** The most costly tenants: bars labelled with their exact cost, a table of their figures, a count of the rest. */
export function topTenantsSection(tenants: readonly ExecutiveTenant[], n: number): string {
  const top = topTenantsByCost(tenants, n);
  const heading = `<h2>Top ${esc(groupThousands(top.length || n))} tenants by modelled cost</h2>`;
  if (top.length === 0)
    return `<section class="card">${heading}<p class="empty">No tenants with figures yet.</p></section>`;
  const rows: BarRow[] = top.map((t) => ({
    label: escLabel(t.companyName, LABEL_CHARS),
    value: geometry(t.cost), // bar length only; the label is the exact string
    valueText: `${esc(t.cost)} USD`,
    title: esc(`${t.companyName} (${t.tenantId}): cost ${t.cost} USD, revenue ${t.revenue} USD, ${t.health}`),
    color: healthColor(t.health),
  }));
  const chart = barChart(rows, {
    width: 1060,
    labelWidth: 270,
    valueWidth: 130,
    ariaLabel: "Top tenants by modelled cost",
  });
  return (
    `<section class="card">${heading}<p class="sub">USD per month; bar colour shows the tenant's health.</p>` +
    `${chart}${restLine(top.length, tenants.length)}${tenantTable(top)}</section>`
  );
}

const HEALTH_ORDER = Object.keys(HEALTH_COLORS) as TenantHealth[];

/** How many tenants are in each health status: a donut with a legend of counts and shares. */
export function healthSection(tenants: readonly ExecutiveTenant[]): string {
  const counts = new Map<string, number>();
  for (const t of tenants) counts.set(t.health, (counts.get(t.health) ?? 0) + 1);
  const known = HEALTH_ORDER.map((h) => ({ h, n: counts.get(h) ?? 0 }));
  const other = tenants.length - known.reduce((sum, k) => sum + k.n, 0);
  const slices = known.map(({ h, n }) => ({
    value: n,
    color: HEALTH_COLORS[h],
    title: esc(`${h}: ${groupThousands(n)}`),
  }));
  const items = known.map(({ h, n }) => ({
    color: HEALTH_COLORS[h],
    label: esc(h),
    detail: `<span class="amt">${esc(groupThousands(n))}</span> · ${esc(formatShare(n, tenants.length))}`,
  }));
  const caption = tenants.length === 1 ? "tenant" : "tenants";
  const chart = donut(slices, {
    size: 200,
    center: esc(groupThousands(tenants.length)),
    caption,
    ariaLabel: "Tenants by health status",
  });
  // The view only yields the four statuses; anything else is counted, not hidden.
  const otherLine = other > 0 ? `<p class="more">${esc(groupThousands(other))} with another status.</p>` : "";
  const body = `<div class="donut">${chart}<div>${legend(items)}${otherLine}</div></div>`;
  return `<section class="card"><h2>Tenant health</h2>${body}</section>`;
}
