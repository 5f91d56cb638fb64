/**
 * One tenant's page (/reports/executive/tenant/<id>): its figures against its last closed month, its
 * closed months, and the VPS and IP shares its cost is made of. Pure, as the executive page is.
 */
import { assertDecimal } from "./decimal.js";
import type { ExecutiveTenant, ExecutiveTrendMonth } from "./executive-page-data.js";
import { changeLine } from "./change.js";
import { humanMonth } from "./dates.js";
import { amount, percent } from "./figures.js";
import { assertDate } from "./format.js";
import { headerSection } from "./header-section.js";
import { esc } from "./html-escape.js";
import { htmlTable } from "./html-table.js";
import { card } from "./kpi-section.js";
import { FOOTER, pageShell } from "./page-shell.js";
import { healthPill } from "./tenant-table.js";
import { trendSection } from "./trend-section.js";
import { assertMonth } from "./validate-extras.js";

/** One closed month of one tenant. */
export interface ExecutiveTenantMonth extends ExecutiveTrendMonth {
  health: string;
}

/** One VPS or IP whose cost the tenant bears (a part of it when shared). */
export interface ExecutiveTenantResource {
  kind: "vps" | "ip";
  /** The VPS's serviceid or the IP's address. */
  label: string | null;
  resourceCost: string;
  share: string;
  /** The tenant's weight in the split, out of `weights`: equal for a dedicated resource. */
  weight: number;
  weights: number;
}

/** Everything one tenant's page draws. */
export interface ExecutiveTenantPageData {
  generatedAt: Date;
  attributionRefreshedAt: Date | null;
  tenantId: string;
  /** The company's name where the tenant has one, else the tenant's own (UNTRUSTED text). */
  name: string;
  /** Today's figures; null when it has no active subscription (its cost still counts in the fleet). */
  current: ExecutiveTenant | null;
  /** Its closed months, oldest first. */
  months: ExecutiveTenantMonth[];
  resources: ExecutiveTenantResource[];
}

function validateTenantPage(d: ExecutiveTenantPageData): void {
  assertDate(d.generatedAt, "generatedAt");
  if (d.attributionRefreshedAt !== null) assertDate(d.attributionRefreshedAt, "attributionRefreshedAt");
  const c = d.current;
  if (c) for (const k of ["revenue", "cost", "profit"] as const) assertDecimal(c[k], `current.${k}`);
  d.months.forEach((m, i) => {
    assertMonth(m.month, `months[${i}].month`);
    for (const k of ["revenue", "cost"] as const) assertDecimal(m[k], `months[${i}].${k}`);
  });
  d.resources.forEach((r, i) => {
    assertDecimal(r.resourceCost, `resources[${i}].resourceCost`);
    assertDecimal(r.share, `resources[${i}].share`);
  });
}

function cards(d: ExecutiveTenantPageData): string {
  const c = d.current;
  const last = d.months.at(-1);
  const base = (value: string | null) => (last ? { value, month: last.month } : null);
  if (!c)
    return `<section class="card"><p class="empty">No active subscription: no revenue, so no margin or health today.</p></section>`;
  const was = last
    ? `<div class="k-c">${esc(`was ${last.health} in ${humanMonth(last.month)}`)}</div>`
    : `<div class="k-c">no closed month yet</div>`;
  return (
    `<section class="kpis" aria-label="Headline figures">` +
    card({
      label: "Monthly revenue",
      value: amount(c.revenue),
      unit: "USD / month",
      change: changeLine(c.revenue, base(last?.revenue ?? null), { unit: " USD", better: "up" }),
    }) +
    card({
      label: "Modelled cost",
      value: amount(c.cost),
      unit: "USD / month",
      change: changeLine(c.cost, base(last?.cost ?? null), { unit: " USD", better: "down" }),
    }) +
    card({
      label: "Margin",
      value: percent(c.marginPercent),
      unit: "of revenue",
      change: changeLine(c.marginPercent, base(last?.marginPercent ?? null), { unit: " pp", better: "up" }),
    }) +
    card({ label: "Health", value: healthPill(c.health), unit: "revenue against cost", change: was }) +
    `</section>`
  );
}

function resourcesSection(d: ExecutiveTenantPageData): string {
  const heading = `<h2>What its cost is made of</h2>`;
  if (d.resources.length === 0)
    return `<section class="card">${heading}<p class="empty">No VPS or IP cost falls on this tenant.</p></section>`;
  const cols = [
    { header: "Resource", label: "Resource" },
    { header: "Resource cost (USD)", label: "Resource cost (USD)", numeric: true, wideOnly: true },
    { header: "Its share (USD)", label: "Its share (USD)", numeric: true },
    { header: "Split", label: "Split" },
  ];
  const rows = d.resources.map((r) => [
    esc(`${r.kind === "vps" ? "VPS" : "IP"} ${r.label ?? "(no label)"}`),
    amount(r.resourceCost),
    amount(r.share),
    esc(
      r.weight === r.weights ? "whole" : `${r.weight} of ${r.weights} ${r.kind === "vps" ? "assignments" : "tenants"}`,
    ),
  ]);
  return `<section class="card">${heading}${htmlTable(cols, rows)}</section>`;
}

/** Renders one tenant's page; `back` is the link to the executive page (relative, as served). */
export function renderTenantPage(d: ExecutiveTenantPageData, back = "../../executive"): string {
  validateTenantPage(d);
  const body = [
    headerSection({
      title: d.name.trim() === "" ? "(no name)" : d.name,
      titleAttr: d.tenantId,
      back,
      generatedAt: d.generatedAt,
      freshness: [{ label: "Per-tenant figures recomputed", at: d.attributionRefreshedAt }],
    }),
    cards(d),
    resourcesSection(d),
    trendSection(d.months),
    FOOTER,
  ].join("\n");
  return pageShell(`${d.name} — Hostwinds infrastructure cost — internal`, body);
}
