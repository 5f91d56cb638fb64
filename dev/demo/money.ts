import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeMonthCommand } from "../../src/cli/close-month-command.js";
import { invoicesCommand } from "../../src/cli/invoice-commands.js";
import { reportCommand } from "../../src/cli/report-commands.js";
import type { Config } from "../../src/config/env.js";
import type { SqlRunner } from "../../src/db/client.js";
import { query } from "../../src/db/sql.js";
import { centsOf, formatCents } from "../../src/money.js";
import { Q } from "./statements.js";

/**
 * The month-end side of the demo (docs/month-close.md, docs/invoices.md), through the same commands
 * Finance runs. The demo compresses three months into seconds: it closes the month before last
 * before Hostwinds' price change and last month after it, so the trend has two months that differ.
 */

/** `YYYY-MM`, `back` calendar months before the current UTC month. */
export function monthsAgo(back: number, now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}

export async function closeMonth(cfg: Config, month: string, reason: string): Promise<void> {
  await run("close-month", closeMonthCommand(cfg, [month, "--reason", reason], process.stdout));
}

/**
 * Writes this month's Hostwinds invoice as Finance would download it (the demo's own figures: every
 * priced VPS at its modelled cost, one of them 2.00 higher, an additional IP, a snapshot and, with
 * the simulator, the server nobody tracks), imports it and prints the month's accuracy.
 */
export async function importThisMonthsInvoice(cfg: Config, db: SqlRunner, untrackedSid?: number): Promise<void> {
  const month = monthsAgo(0);
  const [y, m] = month.split("-").map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, "0");
  const period = `(${mm}/01/${String(y)} - ${mm}/${String(last)}/${String(y)})`;
  const date = `${mm}/01/${String(y)}`;
  const rows = await query(db, Q.invoiceSource, {});
  const lines = rows.map((r, k) => {
    const amount = k === 0 ? formatCents((centsOf(r.cost) ?? 0n) + 200n) : r.cost;
    const what = r.kind === "vps" ? "Cloud VPS" : "Additional IP Address";
    return `INV-${month},${date},${r.serviceId ?? ""},,${r.ip ?? ""},${what} ${period},${amount},USD,,`;
  });
  lines.push(`INV-${month},${date},,,,Server Snapshot - 40 GB,1.20,USD,${month}-01,${month}-${String(last)}`);
  if (untrackedSid !== undefined)
    lines.push(`INV-${month},${date},${String(untrackedSid)},,,Cloud VPS ${period},9.99,USD,,`);
  const file = join(mkdtempSync(join(tmpdir(), "cost-sync-demo-")), `hostwinds-${month}.csv`);
  const header =
    "invoice_number,invoice_date,service_id,hostname,ip,description,amount,currency,period_start,period_end";
  writeFileSync(file, [header, ...lines].join("\n") + "\n");
  process.stdout.write(`   $ cost-sync invoices import ${file}\n`);
  await run("invoices import", invoicesCommand(cfg, ["import", file], process.stdout));
  process.stdout.write(`\n   $ cost-sync report invoices --month ${month}\n`);
  await run("report invoices", reportCommand(cfg, ["invoices", "--month", month], process.stdout));
}

/** The closing figures of the month-end side: untracked spend, the two-month trend, and the savings. */
export async function printMoney(cfg: Config): Promise<void> {
  process.stdout.write("\n== untracked spend (report untracked) ==\n");
  await run("report untracked", reportCommand(cfg, ["untracked"], process.stdout));
  process.stdout.write("\n== trend of the closed months (report trend) ==\n");
  await run("report trend", reportCommand(cfg, ["trend", "--months", "2"], process.stdout));
  // Last: what can be cut (refreshed after the reconciliation and the invoice import above).
  process.stdout.write("\n== savings: what can be cut (report savings) ==\n");
  await run("report savings", reportCommand(cfg, ["savings", "--wide"], process.stdout));
}

async function run(what: string, code: Promise<number>): Promise<void> {
  if ((await code) !== 0) throw new Error(`demo: ${what} failed`);
}
