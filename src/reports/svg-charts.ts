/**
 * Static SVG building blocks for the executive page: no script, no external reference.
 * Callers pass text already escaped (`esc`/`escLabel`) and geometry as plain numbers. The
 * attribute values written here are numbers, the palette's fixed colours and the page's own
 * fixed chart labels: text from the data only ever lands in element content.
 */

/** A coordinate with at most one decimal: compact, and identical from run to run. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A tooltip for the SVG element it is in; `text` is escaped. */
export function tip(text: string): string {
  return `<title>${text}</title>`;
}

/** Opens an `<svg>` sized in CSS pixels that scales down with its container. `label` is escaped text. */
export function svgOpen(width: number, height: number, label: string): string {
  const [w, h] = [px(width), px(height)];
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${label}">${tip(label)}`;
}

/** One bar of a horizontal bar chart; `label`, `valueText` and `title` are escaped text. */
export interface BarRow {
  label: string;
  value: number;
  valueText: string;
  title: string;
  color: string;
}

/** Options of `barChart`: the widths of the label column and of the value text after each bar. */
export interface BarChartOptions {
  width: number;
  labelWidth: number;
  valueWidth: number;
  ariaLabel: string;
}

const ROW = 30;
const BAR = 18;

/**
 * Horizontal bars, longest = the largest value. The label sits in its own column and the value text
 * in a reserved space after the bar, so no text can run over another whatever the amounts.
 */
export function barChart(rows: readonly BarRow[], o: BarChartOptions): string {
  const max = Math.max(0, ...rows.map((r) => r.value));
  const track = o.width - o.labelWidth - o.valueWidth;
  const parts = rows.map((r, i) => {
    const y = i * ROW + (ROW - BAR) / 2;
    const w = max > 0 ? (r.value / max) * track : 0;
    const textY = px(y + BAR / 2 + 4.5);
    return (
      `<g>${tip(r.title)}` +
      `<text x="${px(o.labelWidth - 10)}" y="${textY}" text-anchor="end" class="lbl">${r.label}</text>` +
      `<rect x="${px(o.labelWidth)}" y="${px(y)}" width="${px(w)}" height="${px(BAR)}" rx="2" fill="${r.color}"/>` +
      `<text x="${px(o.labelWidth + w + 6)}" y="${textY}" class="val">${r.valueText}</text></g>`
    );
  });
  return `${svgOpen(o.width, Math.max(rows.length, 1) * ROW, o.ariaLabel)}${parts.join("")}</svg>`;
}

/** One part of a stacked bar or a donut; `title` is escaped text. */
export interface Slice {
  value: number;
  color: string;
  title: string;
}

/** One bar made of consecutive segments, proportional to their sum; a grey track when the sum is 0. */
export function stackedBar(slices: readonly Slice[], o: { width: number; height: number; ariaLabel: string }): string {
  const total = slices.reduce((sum, s) => sum + s.value, 0);
  let x = 0;
  const parts = slices.map((s) => {
    const w = total > 0 ? (s.value / total) * o.width : 0;
    const box = `x="${px(x)}" y="0" width="${px(w)}" height="${px(o.height)}"`;
    const rect = `<rect ${box} fill="${s.color}">${tip(s.title)}</rect>`;
    x += w;
    return w > 0 ? rect : "";
  });
  const track = `<rect x="0" y="0" width="${px(o.width)}" height="${px(o.height)}" rx="3" fill="#e8ebf0"/>`;
  return `${svgOpen(o.width, o.height, o.ariaLabel)}${track}${parts.join("")}</svg>`;
}

/** A donut of the slices (clockwise from 12 o'clock) with escaped text in its centre. */
export function donut(
  slices: readonly Slice[],
  o: { size: number; center: string; caption: string; ariaLabel: string },
): string {
  const c = o.size / 2;
  const r = c - 16;
  const circumference = 2 * Math.PI * r;
  const total = slices.reduce((sum, s) => sum + s.value, 0);
  let offset = 0;
  const arcs = slices.map((s) => {
    const len = total > 0 ? (s.value / total) * circumference : 0;
    const arc =
      `<circle cx="${px(c)}" cy="${px(c)}" r="${px(r)}" fill="none" stroke="${s.color}" stroke-width="24" ` +
      `stroke-dasharray="${px(len)} ${px(circumference - len)}" stroke-dashoffset="${px(-offset)}" ` +
      `transform="rotate(-90 ${px(c)} ${px(c)})">${tip(s.title)}</circle>`;
    offset += len;
    return len > 0 ? arc : "";
  });
  const ring = `<circle cx="${px(c)}" cy="${px(c)}" r="${px(r)}" fill="none" stroke="#e8ebf0" stroke-width="24"/>`;
  const text =
    `<text x="${px(c)}" y="${px(c + 2)}" text-anchor="middle" class="donut-n">${o.center}</text>` +
    `<text x="${px(c)}" y="${px(c + 20)}" text-anchor="middle" class="donut-c">${o.caption}</text>`;
  return `${svgOpen(o.size, o.size, o.ariaLabel)}${ring}${arcs.join("")}${text}</svg>`;
}

/** One legend entry; `label` and `detail` are escaped text (HTML, so it wraps instead of overlapping). */
export interface LegendItem {
  color: string;
  label: string;
  detail: string;
}

/** An HTML legend: a colour swatch, a label and a detail (amount, count, share) per entry. */
export function legend(items: readonly LegendItem[]): string {
  const li = items.map(
    (i) =>
      `<li><span class="swatch" style="background:${i.color}"></span>` +
      `<span class="lg-l">${i.label}</span> <span class="lg-d">${i.detail}</span></li>`,
  );
  return `<ul class="legend">${li.join("")}</ul>`;
}
