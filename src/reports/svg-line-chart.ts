import { formatTick, niceScale } from "./format.js";
import { px, svgOpen, tip } from "./svg-charts.js";

/** One line of the chart. `values` drive geometry; `texts` (escaped, exact) go in the point tooltips. */
export interface LineSeries {
  name: string;
  color: string;
  values: readonly number[];
  texts: readonly string[];
}

/** Options of `lineChart`. `months` and `footers` (one line under each month, e.g. the margin) are escaped text. */
export interface LineChartOptions {
  months: readonly string[];
  footers: readonly string[];
  series: readonly LineSeries[];
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
  const scale = niceScale(Math.max(0, ...o.series.flatMap((s) => s.values)));
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
  const pts = s.values.map((v, i) => `${px(f.xOf(i))},${px(f.yOf(v))}`);
  const dots = s.values.map((v, i) => {
    const title = tip(`${months[i] ?? ""} ${s.name}: ${s.texts[i] ?? ""}`);
    return `<circle cx="${px(f.xOf(i))}" cy="${px(f.yOf(v))}" r="${px(dot)}" fill="${s.color}">${title}</circle>`;
  });
  const stroke = `fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round"`;
  const path = f.n > 1 ? `<polyline points="${pts.join(" ")}" ${stroke}/>` : "";
  return `${path}${dots.join("")}`;
}

/** A line chart of several series over the same months, from a zero baseline, with a labelled y axis. */
export function lineChart(o: LineChartOptions): string {
  const f = frame(o);
  const lines = o.series.map((s) => seriesLine(f, s, o.months)).join("");
  return `${svgOpen(o.width, o.height, o.ariaLabel)}${yAxis(f, o.width)}${monthLabels(f, o)}${lines}</svg>`;
}
