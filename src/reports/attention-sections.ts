import { healthColor, type ExecutivePageData } from "./executive-page-data.js";
import { amount } from "./figures.js";
import { groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { htmlTable } from "./html-table.js";
import { humanDateTime } from "./dates.js";
import { savingsCard } from "./savings-section.js";
import { pill } from "./tenant-table.js";

const BUDGET_RANK = { over: 0, "at risk": 1, ok: 2 } as const;

function anomaliesCard(a: NonNullable<ExecutivePageData["anomalies"]>): string {
  const heading = `<h2>Open anomalies</h2>`;
  if (a.open === 0)
    return `<section class="card">${heading}<p class="empty">None open: every cost change has been dealt with.</p></section>`;
  const rows = a.latest.map((x) => [
    esc(`${x.kind === "vps" ? "VPS" : "IP"} ${x.label ?? "(no label)"}`),
    x.oldValue === null ? `<span class="na">none</span>` : amount(x.oldValue),
    amount(x.newValue),
    amount(x.change),
    `<time datetime="${esc(x.detectedAt.toISOString())}">${esc(humanDateTime(x.detectedAt))}</time>`,
  ]);
  const cols = [
    { header: "Resource", label: "Resource" },
    { header: "Was (USD)", label: "Was (USD)", numeric: true },
    { header: "Now (USD)", label: "Now (USD)", numeric: true },
    { header: "Change", label: "Change", numeric: true },
    { header: "Detected", label: "Detected", wideOnly: true },
  ];
  const more = a.open > a.latest.length ? `${groupThousands(a.open - a.latest.length)} more: ` : "";
  return (
    `<section class="card">${heading}${htmlTable(cols, rows)}` +
    `<p class="more">${esc(`${more}cost-sync anomalies lists them; acknowledge one to clear it.`)}</p></section>`
  );
}

function budgetsCard(b: NonNullable<ExecutivePageData["budgets"]>): string {
  const heading = `<h2>Budgets</h2>`;
  if (b.items.length === 0) return `<section class="card">${heading}<p class="empty">No budget set.</p></section>`;
  const items = [...b.items].sort((x, y) => BUDGET_RANK[x.status] - BUDGET_RANK[y.status]).slice(0, 8);
  const tone = { over: "Critical Action Required", "at risk": "Monitor", ok: "Excellent" } as const;
  const rows = items.map((i) => [
    esc(i.name),
    amount(i.budget),
    amount(i.forecast),
    pill(i.status, healthColor(tone[i.status])),
  ]);
  const cols = [
    { header: "Budget for", label: "Budget for" },
    { header: "Budget (USD)", label: "Budget (USD)", numeric: true },
    { header: "Forecast (USD)", label: "Forecast (USD)", numeric: true },
    { header: "Status", label: "Status" },
  ];
  return `<section class="card">${heading}${htmlTable(cols, rows)}</section>`;
}

/** What needs someone's attention, for the parts that exist: anomalies, budgets, savings. Empty when none does. */
export function attentionSection(data: ExecutivePageData): string {
  const cards = [
    data.anomalies ? anomaliesCard(data.anomalies) : "",
    data.budgets ? budgetsCard(data.budgets) : "",
    data.savings ? savingsCard(data.savings) : "",
  ].filter(Boolean);
  return cards.length === 0 ? "" : `<div class="row">${cards.join("")}</div>`;
}
