import { HEALTH_COLORS, type ExecutiveTenant, type TenantHealth } from "./executive-page-data.js";
import { groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { stackedBar } from "./svg-charts.js";
import { humanMonth } from "./dates.js";

const HEALTH_ORDER = Object.keys(HEALTH_COLORS) as TenantHealth[];
/** Shorter names for the summary line; the table and the tooltips keep the view's full names. */
const SHORT: Record<TenantHealth, string> = {
  Excellent: "Excellent",
  Good: "Good",
  Monitor: "Monitor",
  "Critical Action Required": "Critical",
};

/** Tenants whose health fell to Monitor or Critical since the last close (they were better then). */
function fellSinceClose(tenants: readonly ExecutiveTenant[]): ExecutiveTenant[] {
  const rank = (h: string): number => HEALTH_ORDER.indexOf(h as TenantHealth);
  return tenants.filter((t) => {
    const before = t.lastClose?.health;
    if (before === undefined) return false;
    return rank(t.health) >= 2 && rank(before) >= 0 && rank(before) < rank(t.health);
  });
}

/**
 * How many tenants are in each health status, in one line and one thin bar: four counts need no
 * donut. The tenants that fell to Monitor or Critical since the last close are counted under it.
 */
export function healthSection(tenants: readonly ExecutiveTenant[], closeMonth: string | undefined): string {
  const counts = new Map<string, number>();
  for (const t of tenants) counts.set(t.health, (counts.get(t.health) ?? 0) + 1);
  const known = HEALTH_ORDER.map((h) => ({ h, n: counts.get(h) ?? 0 }));
  const other = tenants.length - known.reduce((sum, k) => sum + k.n, 0);
  const items = known.map(
    ({ h, n }) =>
      `<li title="${esc(h)}"><span class="swatch" style="background:${HEALTH_COLORS[h]}"></span>` +
      `<strong class="amt">${esc(groupThousands(n))}</strong> ${esc(SHORT[h])}</li>`,
  );
  if (other > 0) items.push(`<li><strong class="amt">${esc(groupThousands(other))}</strong> other status</li>`);
  const bar = stackedBar(
    known.map(({ h, n }) => ({ value: n, color: HEALTH_COLORS[h], title: esc(`${h}: ${groupThousands(n)}`) })),
    { width: 640, height: 8, ariaLabel: "Tenants by health status" },
  );
  const fell = fellSinceClose(tenants);
  const note =
    closeMonth === undefined
      ? ""
      : `<p class="hs-note${fell.length > 0 ? " bad" : ""}">${esc(
          `${groupThousands(fell.length)} fell to Monitor or Critical since the ${humanMonth(closeMonth)} close`,
        )}</p>`;
  return (
    `<section class="card health"><h2>Tenant health</h2>` +
    `<ul class="hs">${items.join("")}</ul>${bar}${note}</section>`
  );
}
