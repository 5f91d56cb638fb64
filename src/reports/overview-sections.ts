import { isNegativeDecimal, isPositiveDecimal, geometry } from "./decimal.js";
import { COLORS, type ExecutivePageData } from "./executive-page-data.js";
import { formatAge, formatShare, groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { legend, stackedBar, type LegendItem, type Slice } from "./svg-charts.js";

/** An exact amount as given, red when negative. */
export function amount(value: string): string {
  return `<span class="amt${isNegativeDecimal(value) ? " neg" : ""}">${esc(value)}</span>`;
}

/** A percentage as given ("42.10%"), red when negative; "n/a" when there is none (no revenue). */
export function percent(value: string | null): string {
  if (value === null) return `<span class="na">n/a</span>`;
  return `<span class="amt${isNegativeDecimal(value) ? " neg" : ""}">${esc(value)}%</span>`;
}

function freshness(label: string, at: Date | null, now: Date): string {
  const value =
    at === null
      ? `<span class="never">never</span>`
      : `<time>${esc(at.toISOString())}</time> <span class="age">(${esc(formatAge(at, now))})</span>`;
  return `<dt>${esc(label)}</dt><dd>${value}</dd>`;
}

/** Title, the not-billing notice, and how fresh the figures are (ages relative to `generatedAt`). */
export function headerSection(data: ExecutivePageData): string {
  const now = data.generatedAt;
  return (
    `<header class="top"><div><h1>Hostwinds infrastructure cost</h1>` +
    `<p class="notice">Internal cost modelling — not billing; never shown to tenants</p></div>` +
    `<dl class="fresh"><dt>Generated</dt><dd><time>${esc(now.toISOString())}</time></dd>` +
    freshness("Per-tenant figures recomputed", data.freshness.attributionRefreshedAt, now) +
    freshness("Hostwinds prices last reconciled", data.freshness.lastReconciliationAt, now) +
    `</dl></header>`
  );
}

function card(o: { label: string; value: string; unit: string; alert?: boolean }): string {
  const inner = `<div class="k-l">${o.label}</div><div class="k-v">${o.value}</div><div class="k-u">${o.unit}</div>`;
  return `<div class="card kpi${o.alert ? " alert" : ""}">${inner}</div>`;
}

/** The headline figures: revenue, modelled cost, margin, tenants, untracked spend. */
export function kpiSection(data: ExecutivePageData): string {
  const f = data.fleet;
  const untracked = f.untrackedCost;
  const cards = [
    card({ label: "Monthly revenue", value: amount(f.revenue), unit: "USD / month" }),
    card({ label: "Modelled cost", value: amount(f.totalCost), unit: "USD / month" }),
    card({
      label: "Gross margin",
      value: percent(f.marginPercent),
      unit: f.marginPercent === null ? "no revenue yet" : "of revenue",
    }),
    card({ label: "Tenants", value: esc(groupThousands(data.tenants.length)), unit: "with figures" }),
    untracked === null
      ? card({ label: "Untracked spend", value: `<span class="na">not known</span>`, unit: "not measured yet" })
      : card({
          label: "Untracked spend",
          value: amount(untracked),
          unit: "USD / month",
          alert: isPositiveDecimal(untracked),
        }),
  ];
  return `<section class="kpis" aria-label="Headline figures">${cards.join("")}</section>`;
}

interface Part {
  label: string;
  value: string | null;
  color: string;
}

/** A stacked bar of exact amounts with its legend ("1234.50 USD · 42%"); a null amount is listed as not known. */
function split(parts: readonly Part[], ariaLabel: string): string {
  // Numbers for geometry and shares only; the legend prints each exact string.
  const total = parts.reduce((sum, p) => sum + (p.value === null ? 0 : geometry(p.value)), 0);
  const slices: Slice[] = parts.map((p) => ({
    value: p.value === null ? 0 : geometry(p.value),
    color: p.color,
    title: esc(`${p.label}: ${p.value ?? "not known"} USD`),
  }));
  const items: LegendItem[] = parts.map((p) => ({
    color: p.color,
    label: esc(p.label),
    detail:
      p.value === null
        ? `<span class="na">not known yet</span>`
        : `${amount(p.value)} USD · ${esc(formatShare(geometry(p.value), total))}`,
  }));
  return `${stackedBar(slices, { width: 640, height: 28, ariaLabel: esc(ariaLabel) })}${legend(items)}`;
}

/** Where the fleet's modelled cost goes: attributed / unallocated / untracked, and VPS against IP. */
export function fleetSection(data: ExecutivePageData): string {
  const f = data.fleet;
  const byAttribution = split(
    [
      { label: "Attributed to tenants", value: f.attributedCost, color: COLORS.attributed },
      { label: "Unallocated", value: f.unallocatedCost, color: COLORS.unallocated },
      { label: "Untracked at Hostwinds", value: f.untrackedCost, color: COLORS.untracked },
    ],
    "Modelled cost by attribution",
  );
  const byResource = split(
    [
      { label: "VPS", value: f.vpsCost, color: COLORS.vps },
      { label: "SMTP IPs", value: f.ipCost, color: COLORS.ip },
    ],
    "Modelled cost by resource",
  );
  const callout =
    f.untrackedCost !== null && isPositiveDecimal(f.untrackedCost)
      ? `<p class="callout"><strong>Attention:</strong> ${amount(f.untrackedCost)} USD / month is spent on ` +
        `Hostwinds instances PenguinMails does not track.</p>`
      : "";
  return (
    `<section class="card"><h2>Fleet cost and margin</h2>` +
    `<p class="sub">Revenue ${amount(f.revenue)} USD · modelled cost ${amount(f.totalCost)} USD · ` +
    `margin ${percent(f.marginPercent)}</p>` +
    `${callout}<h3>Total cost by attribution</h3>${byAttribution}<h3>VPS and IP cost</h3>${byResource}</section>`
  );
}
