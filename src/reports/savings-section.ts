import type { ExecutivePageData } from "./executive-page-data.js";
import { amount, tenantName } from "./figures.js";
import { groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { htmlTable } from "./html-table.js";

/** The kinds of docs/savings.md in words; a kind outside them is shown as stored. */
const KIND_WORDS: Readonly<Record<string, string>> = {
  billing_cycle: "Longer billing cycle",
  idle_ip: "Idle IP",
  idle_vps: "Idle VPS",
  billed_after_decommission: "Billed after decommission",
  untracked: "Untracked instance",
};

/** How many opportunities the card lists (issue #24: "the top five"). */
export const SAVINGS_SHOWN = 5;

const kindWords = (kind: string): string => (Object.hasOwn(KIND_WORDS, kind) ? (KIND_WORDS[kind] ?? kind) : kind);

/**
 * "Savings available": the open monthly saving, its share of the fleet's modelled cost, and the five
 * largest opportunities with their kind, resource, tenant and monthly saving; an empty state when none is open.
 */
export function savingsCard(s: NonNullable<ExecutivePageData["savings"]>): string {
  const heading = `<h2>Savings available</h2>`;
  if (s.count === 0 || s.top.length === 0)
    return `<section class="card">${heading}<p class="empty">No open savings opportunity: nothing to cut was found.</p></section>`;
  const share =
    s.shareOfFleet == null ? "" : `: <strong class="amt">${esc(s.shareOfFleet)}%</strong> of the fleet's modelled cost`;
  const count = `${groupThousands(s.count)} open opportunit${s.count === 1 ? "y" : "ies"}`;
  const lead = `<p class="sub">${amount(s.totalMonthly)} USD / month in ${esc(count)}${share}.</p>`;
  const rows = s.top
    .slice(0, SAVINGS_SHOWN)
    .map((x) => [
      esc(x.resource),
      esc(kindWords(x.kind)),
      x.tenantId === null ? `<span class="na">no tenant</span>` : tenantName(x.tenantName ?? x.tenantId, x.tenantId),
      amount(x.monthly),
    ]);
  const cols = [
    { header: "Resource", label: "Resource" },
    { header: "Kind", label: "Kind" },
    { header: "Tenant", label: "Tenant" },
    { header: "USD / month", label: "USD / month", numeric: true },
  ];
  const more = s.count > rows.length ? `<p class="more">${esc(`${groupThousands(s.count - rows.length)} more: cost-sync report savings lists them all.`)}</p>` : ""; // prettier-ignore
  return `<section class="card">${heading}${lead}${htmlTable(cols, rows)}${more}</section>`;
}
