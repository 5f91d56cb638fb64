import { geometry, isPositiveDecimal } from "./decimal.js";
import { COLORS, type ExecutivePageData } from "./executive-page-data.js";
import { amount, percent } from "./figures.js";
import { formatShare } from "./format.js";
import { esc } from "./html-escape.js";
import { legend, stackedBar, type LegendItem, type Slice } from "./svg-charts.js";

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

/**
 * Untracked spend, beside the modelled cost and never in it: what PenguinMails pays Hostwinds for
 * instances it does not track. Labelled as such wherever it is shown (issue 21, "One meaning per figure").
 */
function untrackedBeside(untracked: string | null): string {
  const value = untracked === null ? `<span class="na">not known yet</span>` : `${amount(untracked)} USD / month`;
  return `<p class="sub">Beside it, not in it: untracked at Hostwinds ${value}</p>`;
}

/**
 * Where the fleet's modelled cost goes: attributed / unallocated, and VPS against IP. Both bars add up to
 * the modelled cost (attributed + unallocated = VPS + IP, what a close freezes); untracked spend stands
 * beside them, labelled.
 */
export function fleetSection(data: ExecutivePageData): string {
  const f = data.fleet;
  const byAttribution = split(
    [
      { label: "Attributed to tenants", value: f.attributedCost, color: COLORS.attributed },
      { label: "Unallocated", value: f.unallocatedCost, color: COLORS.unallocated },
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
        `Hostwinds instances PenguinMails does not track (not in the modelled cost).</p>`
      : "";
  return (
    `<section class="card"><h2>Fleet cost and margin</h2>` +
    `<p class="sub">Revenue ${amount(f.revenue)} USD · modelled cost ${amount(f.totalCost)} USD ` +
    `(attributed + unallocated) · margin ${percent(f.marginPercent)}</p>` +
    `${callout}<h3>Modelled cost by attribution</h3>${byAttribution}${untrackedBeside(f.untrackedCost)}` +
    `<h3>VPS and IP cost</h3>${byResource}</section>`
  );
}
