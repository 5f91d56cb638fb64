import { geometry } from "./decimal.js";
import { COLORS, type ExecutiveForecastMonth, type ExecutiveTrendMonth } from "./executive-page-data.js";
import { amount, percent } from "./figures.js";
import { esc } from "./html-escape.js";
import { htmlTable } from "./html-table.js";
import { humanMonth } from "./dates.js";
import { legend } from "./svg-charts.js";
import { responsiveLineChart, type Band, type LineSeries } from "./svg-line-chart.js";

// The table lists the latest year; the chart (with exact amounts in its point tooltips) shows every month.
const TABLE_MONTHS = 12;

const COLUMNS = [
  { header: "Month", label: "Month" },
  { header: "Revenue (USD)", label: "Revenue (USD)", numeric: true },
  { header: "Cost (USD)", label: "Cost (USD)", numeric: true },
  { header: "Margin", label: "Margin", numeric: true },
];

function trendTable(trend: readonly ExecutiveTrendMonth[], forecast: readonly ExecutiveForecastMonth[]): string {
  // Most recent first: the month an executive asks about is at the top, under the forecast.
  const latest = trend.slice(-TABLE_MONTHS).reverse();
  const ahead = [...forecast]
    .reverse()
    .map((m) => [
      esc(`${humanMonth(m.month)} (forecast)`),
      `<span class="na">—</span>`,
      `${amount(m.cost)} <span class="range">(${esc(m.low)}–${esc(m.high)})</span>`,
      `<span class="na">—</span>`,
    ]);
  const rows = latest.map((m) => [
    esc(humanMonth(m.month)),
    amount(m.revenue),
    amount(m.cost),
    percent(m.marginPercent),
  ]);
  const note =
    trend.length > TABLE_MONTHS
      ? `<p class="more">The table lists the latest ${TABLE_MONTHS} of ${trend.length} months; ` +
        `the chart shows them all.</p>`
      : "";
  return `${htmlTable(COLUMNS, [...ahead, ...rows], "narrow")}${note}`;
}

/** The series: revenue and cost over the closed months, then the forecast cost (dashed) from the last one. */
function chartSeries(trend: readonly ExecutiveTrendMonth[], forecast: readonly ExecutiveForecastMonth[]) {
  const pad = forecast.map(() => null);
  const last = trend.length - 1;
  const actual = (pick: (m: ExecutiveTrendMonth) => string, name: string, color: string): LineSeries => ({
    name,
    color,
    values: [...trend.map((m) => geometry(pick(m))), ...pad],
    texts: [...trend.map((m) => `${esc(pick(m))} USD`), ...forecast.map(() => "")],
  });
  const series = [actual((m) => m.revenue, "revenue", COLORS.revenue), actual((m) => m.cost, "cost", COLORS.cost)];
  if (forecast.length === 0) return { series };
  // The forecast starts at the last closed month, so its line and band join the actual cost.
  const lastCost = trend[last] === undefined ? null : geometry(trend[last].cost);
  const lead = trend.map((_, i) => (i === last ? lastCost : null));
  series.push({
    name: "forecast cost",
    color: COLORS.cost,
    dashed: true,
    values: [...lead, ...forecast.map((m) => geometry(m.cost))],
    texts: [
      ...trend.map((m) => `${esc(m.cost)} USD`),
      ...forecast.map((m) => esc(`${m.cost} USD (${m.low}–${m.high})`)),
    ],
  });
  const band: Band = {
    color: COLORS.cost,
    low: [...lead, ...forecast.map((m) => geometry(m.low))],
    high: [...lead, ...forecast.map((m) => geometry(m.high))],
    title: "Forecast range of the modelled cost",
  };
  return { series, band };
}

/** Revenue and modelled cost per closed month, continued by the forecast and its band when there is one. */
export function trendSection(
  trend: readonly ExecutiveTrendMonth[] | undefined,
  forecast: readonly ExecutiveForecastMonth[] = [],
): string {
  const heading = `<h2>Monthly trend (closed months)</h2>`;
  if (!trend || trend.length === 0) {
    const note = "No closed months yet: the trend appears after the first month close.";
    return `<section class="card">${heading}<p class="empty">${note}</p></section>`;
  }
  const { series, band } = chartSeries(trend, forecast);
  const chart = responsiveLineChart({
    months: [...trend, ...forecast].map((m) => esc(humanMonth(m.month))),
    footers: [
      ...trend.map((m) => (m.marginPercent === null ? "margin n/a" : esc(`margin ${m.marginPercent}%`))),
      ...forecast.map(() => "forecast"),
    ],
    series,
    ...(band ? { band } : {}),
    ariaLabel:
      forecast.length > 0
        ? "Revenue, modelled cost and forecast per month, USD"
        : "Revenue and modelled cost per month, USD",
  });
  const keys = [
    { color: COLORS.revenue, label: "Revenue", detail: "USD / month" },
    { color: COLORS.cost, label: "Modelled cost", detail: "USD / month" },
  ];
  if (forecast.length > 0)
    keys.push({ color: COLORS.cost, label: "Forecast", detail: "dashed, with its range shaded" });
  return `<section class="card">${heading}${legend(keys)}${chart}${trendTable(trend, forecast)}</section>`;
}
