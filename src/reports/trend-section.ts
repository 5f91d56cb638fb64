import { geometry } from "./decimal.js";
import { COLORS, type ExecutiveTrendMonth } from "./executive-page-data.js";
import { esc } from "./html-escape.js";
import { htmlTable } from "./html-table.js";
import { amount, percent } from "./overview-sections.js";
import { legend } from "./svg-charts.js";
import { lineChart } from "./svg-line-chart.js";

// The table lists the latest year; the chart (with exact amounts in its point tooltips) shows every month.
const TABLE_MONTHS = 12;

const COLUMNS = [
  { header: "Month" },
  { header: "Revenue (USD)", numeric: true },
  { header: "Cost (USD)", numeric: true },
  { header: "Margin", numeric: true },
];

function trendTable(trend: readonly ExecutiveTrendMonth[]): string {
  // Most recent first: the month an executive asks about is at the top.
  const latest = trend.slice(-TABLE_MONTHS).reverse();
  const rows = latest.map((m) => [esc(m.month), amount(m.revenue), amount(m.cost), percent(m.marginPercent)]);
  const note =
    trend.length > TABLE_MONTHS
      ? `<p class="more">The table lists the latest ${String(TABLE_MONTHS)} of ${String(trend.length)} months; ` +
        `the chart shows them all.</p>`
      : "";
  return `${htmlTable(COLUMNS, rows, "narrow")}${note}`;
}

/** Revenue and modelled cost per closed month, with the margin under each month; a note when no month is closed. */
export function trendSection(trend: readonly ExecutiveTrendMonth[] | undefined): string {
  const heading = `<h2>Monthly trend (closed months)</h2>`;
  if (!trend || trend.length === 0) {
    const note = "No closed months yet: the trend appears after the first month close.";
    return `<section class="card">${heading}<p class="empty">${note}</p></section>`;
  }
  const chart = lineChart({
    months: trend.map((m) => esc(m.month)),
    footers: trend.map((m) => (m.marginPercent === null ? "margin n/a" : esc(`margin ${m.marginPercent}%`))),
    series: [
      // Numbers position the points only; tooltips and the table carry the exact strings.
      {
        name: "revenue",
        color: COLORS.revenue,
        values: trend.map((m) => geometry(m.revenue)),
        texts: trend.map((m) => `${esc(m.revenue)} USD`),
      },
      {
        name: "cost",
        color: COLORS.cost,
        values: trend.map((m) => geometry(m.cost)),
        texts: trend.map((m) => `${esc(m.cost)} USD`),
      },
    ],
    width: 1060,
    height: 300,
    ariaLabel: "Revenue and modelled cost per month, USD",
  });
  const key = legend([
    { color: COLORS.revenue, label: "Revenue", detail: "USD / month" },
    { color: COLORS.cost, label: "Modelled cost", detail: "USD / month" },
  ]);
  return `<section class="card">${heading}${key}${chart}${trendTable(trend)}</section>`;
}
