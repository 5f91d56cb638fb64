import { formatTick, niceScale } from "./format.js";
import { px, svgOpen, tip } from "./svg-charts.js";

/**
 * One line of the chart. `values` drive geometry (null: no point that month); `texts` (escaped, exact)
 * go in the point tooltips. A dashed line is a forecast.
 */
export interface LineSeries {
  name: string;
  color: string;
  values: readonly (number | null)[];
  texts: readonly string[];
  dashed?: boolean;
}

/** A shaded band between two bounds (a forecast's range); months where either is null have none. */
export interface Band {
  color: string;
  low: readonly (number | null)[];
  high: readonly (number | null)[];
  /** Escaped text: the band's tooltip. */
  title: string;
}

/** Options of `lineChart`. `months` and `footers` (one line under each month, e.g. the margin) are escaped text. */
export interface LineChartOptions {
  months: readonly string[];
  footers: readonly string[];
  series: readonly LineSeries[];
  band?: Band;
  width: number;
  height: number;
  ariaLabel: string;
}

const LEFT = 64;
const RIGHT = 24;
const TOP = 14;
const BOTTOM = 50;
// Below this many pixels per month the labels would collide: only every k-th month is labelled.
const MIN_LABEL_SPACING = 84;

/** Where things go: pixel position of month `i` and of amount `v`, and the y axis. */
interface Frame {
  n: number;
  xOf: (i: number) => number;
  yOf: (v: number) => number;
  baseline: number;
  spacing: number;
  ticks: number[];
}

function frame(o: LineChartOptions): Frame {
  const n = o.months.length;
  const plotW = o.width - LEFT - RIGHT;
  const plotH = o.height - TOP - BOTTOM;
  const all = [...o.series.flatMap((s) => s.values), ...(o.band?.high ?? [])];
  const scale = niceScale(Math.max(0, ...all.map((v) => v ?? 0)));
  // A 24 px inset keeps the first and last month labels inside the plot; one month sits in the middle.
  const spacing = n <= 1 ? plotW : (plotW - 48) / (n - 1);
  return {
    n,
    xOf: (i) => (n <= 1 ? LEFT + plotW / 2 : LEFT + 24 + i * spacing),
    yOf: (v) => TOP + plotH - (Math.max(0, v) / scale.top) * plotH,
    baseline: TOP + plotH,
    spacing,
    ticks: scale.ticks,
  };
}

function yAxis(f: Frame, width: number): string {
  return f.ticks
    .map((t) => {
      const y = px(f.yOf(t));
      const line = `<line x1="${px(LEFT)}" y1="${y}" x2="${px(width - RIGHT)}" y2="${y}" class="grid"/>`;
      const label = `<text x="${px(LEFT - 8)}" y="${px(f.yOf(t) + 4)}" text-anchor="end" class="tick">`;
      return `${line}${label}${formatTick(t)}</text>`;
    })
    .join("");
}

function monthLabels(f: Frame, o: LineChartOptions): string {
  const every = Math.max(1, Math.ceil(MIN_LABEL_SPACING / f.spacing));
  return o.months
    .map((m, i) => {
      // Counted from the latest month, so the most recent one is always labelled.
      if ((f.n - 1 - i) % every !== 0) return "";
      const x = px(f.xOf(i));
      const month = `<text x="${x}" y="${px(f.baseline + 18)}" text-anchor="middle" class="tick">${m}</text>`;
      const foot = `<text x="${x}" y="${px(f.baseline + 36)}" text-anchor="middle" class="foot">`;
      return `${month}${foot}${o.footers[i] ?? ""}</text>`;
    })
    .join("");
}

function seriesLine(f: Frame, s: LineSeries, months: readonly string[]): string {
  const dot = f.n > 24 ? 2.5 : 4; // smaller points when months crowd
  const present = s.values.flatMap((v, i) => (v === null ? [] : [{ v, i }]));
  const pts = present.map(({ v, i }) => `${px(f.xOf(i))},${px(f.yOf(v))}`);
  const dots = present.map(({ v, i }) => {
    const title = tip(`${months[i] ?? ""} ${s.name}: ${s.texts[i] ?? ""}`);
    return `<circle cx="${px(f.xOf(i))}" cy="${px(f.yOf(v))}" r="${px(dot)}" fill="${s.color}">${title}</circle>`;
  });
  const dash = s.dashed ? ` stroke-dasharray="6 5"` : "";
  const stroke = `fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round"${dash}`;
  const path = present.length > 1 ? `<polyline points="${pts.join(" ")}" ${stroke}/>` : "";
  return `${path}${dots.join("")}`;
}

function bandArea(f: Frame, b: Band): string {
  const idx = b.low.flatMap((lo, i) => (lo === null || (b.high[i] ?? null) === null ? [] : [i]));
  if (idx.length < 2) return "";
  const top = idx.map((i) => `${px(f.xOf(i))},${px(f.yOf(b.high[i] ?? 0))}`);
  const bottom = [...idx].reverse().map((i) => `${px(f.xOf(i))},${px(f.yOf(b.low[i] ?? 0))}`);
  return `<polygon points="${[...top, ...bottom].join(" ")}" fill="${b.color}" fill-opacity="0.18">${tip(b.title)}</polygon>`;
}

/** A line chart of several series over the same months, from a zero baseline, with a labelled y axis and an optional band. */
function lineChart(o: LineChartOptions): string {
  const f = frame(o);
  const band = o.band ? bandArea(f, o.band) : "";
  const lines = o.series.map((s) => seriesLine(f, s, o.months)).join("");
  return `${svgOpen(o.width, o.height, o.ariaLabel)}${yAxis(f, o.width)}${monthLabels(f, o)}${band}${lines}</svg>`;
}

/** Drawing sizes of a responsive chart and the widest window each is shown in (CSS below, page-style.ts). */
const SIZES = [
  { cls: "chart-n", width: 360, height: 260 },
  { cls: "chart-m", width: 720, height: 280 },
  { cls: "chart-w", width: 1060, height: 300 },
] as const;

/**
 * The chart drawn at three sizes, of which the page's stylesheet shows the one that fits the window: an SVG
 * scales as a picture, so one drawing for every width would shrink its labels below a readable size on a phone.
 */
export function responsiveLineChart(o: Omit<LineChartOptions, "width" | "height">): string {
  return SIZES.map((s) => `<div class="${s.cls}">${lineChart({ ...o, width: s.width, height: s.height })}</div>`).join(
    "",
  );
}
