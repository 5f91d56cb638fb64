import type { Digest } from "./digest.js";

/** The digest as Markdown (Slack-compatible: bold with *, bullets) and as a self-contained HTML page. */

const day = (d: Date): string => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
const signed = (s: string): string => (s.startsWith("-") ? s : `+${s}`);

/** The digest's sections as heading + lines; markdown and HTML render the same content. */
export function digestSections(d: Digest): { heading: string; lines: string[] }[] {
  const c = d.cost;
  const costLines = [
    `Fleet modelled cost: ${c.costNow} USD/month (${signed(c.costChange)} since ${c.costThen})`,
    c.marginNow === null || c.marginThen === null || c.marginChange === null
      ? "Margin: not available (no subscription revenue in the executive views)"
      : `Margin: ${c.marginNow} USD/month (${signed(c.marginChange)} since ${c.marginThen}; revenue ${c.revenue ?? ""})`,
  ];
  const anomalies = d.anomalies.length
    ? d.anomalies.map(
        (a) =>
          `#${a.id} ${a.kind} ${a.resourceId ?? ""}: ${a.oldValue ?? "none"} -> ${a.newValue} (${signed(a.change)}) [${a.state}]`,
      )
    : ["none"];
  const budgets = d.budgetsAtRisk.length
    ? d.budgetsAtRisk.map(
        (b) =>
          `${b.scope}${b.id === null ? "" : ` ${b.id}`}: ${b.status}; budget ${b.amount}, now ${b.actual}, ` +
          `month-end p50 ${b.monthEndForecastP50}${b.monthEndForecastP90 === null ? "" : `, p90 ${b.monthEndForecastP90}`}`,
      )
    : ["none"];
  const u = d.untracked;
  const untracked =
    u === null
      ? "not known (no reconciliation has checked the account yet)"
      : `${u.monthlyUsd ?? "0.00"} USD/month on ${String(u.instances ?? 0)} instance(s); ${String(u.ghostRows ?? 0)} ghost row(s) (checked ${day(u.checkedAt)})`;
  const i = d.invoiceAccuracy;
  const invoices =
    i === null
      ? "no invoice imported yet"
      : `${i.month}: accuracy ${i.accuracy ?? "not computed"} (invoiced ${i.invoiced} USD)`;
  return [
    { heading: "Cost and margin", lines: costLines },
    { heading: `New anomalies (${String(d.anomalies.length)})`, lines: anomalies },
    { heading: `Budgets at risk (${String(d.budgetsAtRisk.length)})`, lines: budgets },
    { heading: "Top savings", lines: savingsLines(d) },
    { heading: "Untracked spend", lines: [untracked] },
    { heading: "Invoice accuracy (latest month)", lines: [invoices] },
  ];
}

/** The open savings in one line, then the largest opportunities, each marked when it appeared in the period. */
function savingsLines(d: Digest): string[] {
  const s = d.savings;
  if (s === null) return ["not available (no savings refresh has run yet)"];
  if (s.count === 0) return [`none open (refreshed ${day(s.refreshedAt)})`];
  const share =
    s.shareOfFleet === null ? "" : `, ${s.shareOfFleet}% of the fleet's modelled cost (${s.fleetMonthlyCost})`;
  const n = `${String(s.count)} open opportunit${s.count === 1 ? "y" : "ies"}`;
  return [
    `${s.monthlySaving} USD/month in ${n}${share}; refreshed ${day(s.refreshedAt)}`,
    ...s.top.map(
      (o) =>
        `${o.monthlySaving} USD/month: ${o.kind} ${o.resource}` +
        `${o.tenantName === null ? "" : ` (${o.tenantName})`}${o.isNew ? " [new]" : ""} - ${o.id}`,
    ),
  ];
}

const title = (d: Digest): string => `cost-sync digest: ${day(d.periodStart)} to ${day(d.periodEnd)}`;

/** Markdown that Slack's mrkdwn also reads (single * for bold, • bullets). */
export function digestMarkdown(d: Digest): string {
  const parts = digestSections(d).map((s) => `*${s.heading}*\n${s.lines.map((l) => `• ${l}`).join("\n")}`);
  return `*${title(d)}*\n_Internal cost modelling, not billing._\n\n${parts.join("\n\n")}\n`;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

/** One self-contained HTML page: no script, no fetched resource. */
export function digestHtml(d: Digest): string {
  const body = digestSections(d)
    .map((s) => `<h2>${esc(s.heading)}</h2>\n<ul>${s.lines.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>`)
    .join("\n");
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${esc(title(d))}</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem}</style>` +
    `</head><body>\n<h1>${esc(title(d))}</h1>\n<p>Internal cost modelling, not billing.</p>\n${body}\n</body></html>\n`
  );
}

/** The `--json` object: named arrays and objects, camelCase keys, amounts as exact strings. */
export function digestJson(d: Digest): Record<string, unknown> {
  return {
    periodStart: d.periodStart.toISOString(),
    periodEnd: d.periodEnd.toISOString(),
    periodFrom: d.periodFrom,
    cost: d.cost,
    anomalies: d.anomalies.map((a) => ({ ...a, detectedAt: a.detectedAt.toISOString() })),
    budgetsAtRisk: d.budgetsAtRisk,
    savings:
      d.savings === null
        ? { available: false, top: [] }
        : { available: true, ...d.savings, refreshedAt: d.savings.refreshedAt.toISOString() },
    untracked: d.untracked && { ...d.untracked, checkedAt: d.untracked.checkedAt.toISOString() },
    invoiceAccuracy: d.invoiceAccuracy,
  };
}
