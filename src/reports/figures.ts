import { isNegativeDecimal } from "./decimal.js";
import { esc } from "./html-escape.js";

/** An exact amount as given, red when negative. */
export function amount(value: string): string {
  return `<span class="amt${isNegativeDecimal(value) ? " neg" : ""}">${esc(value)}</span>`;
}

/** A percentage as given ("42.10%"), red when negative; "n/a" when there is none (no revenue). */
export function percent(value: string | null): string {
  if (value === null) return `<span class="na">n/a</span>`;
  return `<span class="amt${isNegativeDecimal(value) ? " neg" : ""}">${esc(value)}%</span>`;
}

/** A tenant's name as text, its id in the title (a tooltip, and what a support request quotes). */
export function tenantName(name: string, tenantId: string, href?: string): string {
  const shown = name.trim() === "" ? "(no name)" : name;
  const inner = `<span class="name" title="${esc(tenantId)}">${esc(shown)}</span>`;
  return href === undefined ? inner : `<a href="${esc(href)}">${inner}</a>`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The served link to a tenant's page, relative to /reports/executive; none for an id that is not a uuid. */
export function tenantHref(tenantId: string): string | undefined {
  return UUID.test(tenantId) ? `executive/tenant/${tenantId.toLowerCase()}` : undefined;
}
