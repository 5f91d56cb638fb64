import { changeLine, countChange } from "./change.js";
import { decimalKey, fractionToPercent, isPositiveDecimal } from "./decimal.js";
import type { ExecutivePageData } from "./executive-page-data.js";
import { amount, percent } from "./figures.js";
import { groupThousands } from "./format.js";
import { esc } from "./html-escape.js";
import { humanMonth } from "./dates.js";

/** One headline figure: its label, value, unit and the line that says how it moved. */
export function card(o: { label: string; value: string; unit: string; change: string; alert?: boolean }): string {
  const inner =
    `<div class="k-l">${esc(o.label)}</div><div class="k-v">${o.value}</div>` +
    `<div class="k-u">${esc(o.unit)}</div>${o.change}`;
  return `<div class="card kpi${o.alert ? " alert" : ""}">${inner}</div>`;
}

/** The cards every page has: revenue, cost, margin, tenants, untracked spend, each against the last close. */
function fleetCards(data: ExecutivePageData): string[] {
  const f = data.fleet;
  const c = data.lastClose;
  const base = <T>(value: T) => (c ? { value, month: c.month } : c);
  const untracked = f.untrackedCost;
  return [
    card({
      label: "Monthly revenue",
      value: amount(f.revenue),
      unit: "USD / month",
      change: changeLine(f.revenue, base(c?.revenue ?? null), { unit: " USD", better: "up" }),
    }),
    card({
      label: "Modelled cost",
      value: amount(f.totalCost),
      unit: "USD / month",
      change: changeLine(f.totalCost, base(c?.totalCost ?? null), { unit: " USD", better: "down" }),
    }),
    card({
      label: "Gross margin",
      value: percent(f.marginPercent),
      unit: f.marginPercent === null ? "no revenue yet" : "of revenue",
      change: changeLine(f.marginPercent, base(c?.marginPercent ?? null), { unit: " pp", better: "up" }),
    }),
    card({
      label: "Tenants",
      value: esc(groupThousands(data.tenants.length)),
      unit: "with figures",
      change: countChange(data.tenants.length, base(c?.tenants ?? 0)),
    }),
    card({
      label: "Untracked spend",
      value: untracked === null ? `<span class="na">not known</span>` : amount(untracked),
      // Beside the modelled cost, never in it (docs/executive.md).
      unit: untracked === null ? "not measured yet" : "USD / month, not in modelled cost",
      change: changeLine(untracked, base(c?.untrackedCost ?? null), { unit: " USD", better: "down" }),
      alert: untracked !== null && isPositiveDecimal(untracked),
    }),
  ];
}

/** The cards of the parts that exist: invoice accuracy, open anomalies, budgets, savings. */
function extraCards(data: ExecutivePageData): string[] {
  const cards: string[] = [];
  const inv = data.invoiceAccuracy;
  if (inv !== undefined) cards.push(invoiceCard(inv));
  const an = data.anomalies;
  if (an) {
    const since = an.openSinceClose === null ? "no closed month yet" : `${an.openSinceClose} new since the last close`;
    const change = `<div class="k-c">${esc(since)}</div>`;
    cards.push(
      card({
        label: "Open anomalies",
        value: esc(groupThousands(an.open)),
        unit: "cost changes to review",
        change,
        alert: an.open > 0,
      }),
    );
  }
  const b = data.budgets;
  if (b) {
    const over = b.items.filter((i) => i.status === "over").length;
    const risk = b.items.filter((i) => i.status === "at risk").length;
    const value = esc(`${over} over`);
    const change = `<div class="k-c">${esc(`${risk} at risk, of ${b.items.length} budget${b.items.length === 1 ? "" : "s"}`)}</div>`;
    cards.push(card({ label: "Budgets", value, unit: "by this month's forecast", change, alert: over + risk > 0 }));
  }
  const s = data.savings;
  if (s) {
    const change = `<div class="k-c">${esc(`${s.count} opportunit${s.count === 1 ? "y" : "ies"}`)}</div>`;
    cards.push(card({ label: "Savings available", value: amount(s.totalMonthly), unit: "USD / month", change }));
  }
  return cards;
}

function invoiceCard(inv: ExecutivePageData["invoiceAccuracy"]): string {
  if (inv === null || inv === undefined)
    return card({
      label: "Invoice accuracy",
      value: `<span class="na">none imported</span>`,
      unit: "no Hostwinds invoice yet",
      change: "",
    });
  const value = inv.accuracy === null ? `<span class="na">n/a</span>` : `${esc(fractionToPercent(inv.accuracy))}%`;
  const prev = inv.previous;
  const change = prev
    ? changeLine(
        inv.accuracy === null ? null : fractionToPercent(inv.accuracy),
        { value: prev.accuracy === null ? null : fractionToPercent(prev.accuracy), month: prev.month },
        { unit: " pp", better: "up", since: `since ${humanMonth(prev.month)}` },
      )
    : `<div class="k-c">first imported month</div>`;
  // The alert rule's threshold (deploy/): below 95% the model needs a look.
  const low = inv.accuracy !== null && decimalKey(inv.accuracy) < decimalKey("0.95");
  return card({ label: "Invoice accuracy", value, unit: `${humanMonth(inv.month)} invoice`, change, alert: low });
}

/** The headline figures, each with its change since the last closed month. */
export function kpiSection(data: ExecutivePageData): string {
  const cards = [...fleetCards(data), ...extraCards(data)];
  return `<section class="kpis" aria-label="Headline figures">${cards.join("")}</section>`;
}
