import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { invoicesCommand } from "../../src/cli/invoice-commands.js";
import { reportCommand } from "../../src/cli/report-commands.js";
import type { Config } from "../../src/config/env.js";
import type { SqlRunner } from "../../src/db/client.js";
import { query } from "../../src/db/sql.js";
import { centsOf, formatCents } from "../../src/money.js";
import { run } from "./money.js";
import { Q, type InvoiceSource } from "./statements.js";

/**
 * The demo's Hostwinds invoice for a month, shaped as WHMCS writes one (docs/invoices.md, issue #21):
 * its item `type` and `relid`, descriptions `Product - host.name (DD/MM/YYYY - DD/MM/YYYY)` with
 * option lines after them, day-first dates. Every priced VPS is billed at its modelled cost (two of
 * them named by host only, relid 0); one has a promotion netted against it; an upgrade adds 2.00 to
 * the first (the drift the report shows); an add-on IP; the decommissioned server still billed at
 * its plan's 9.99; a snapshot, a late fee and, with the simulator, the server nobody tracks.
 */
export function whmcsInvoice(month: string, sources: InvoiceSource[], untrackedSid?: number): string[][] {
  const [y, m] = month.split("-") as [string, string];
  const days = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  const period = `(01/${m}/${y} - ${String(days)}/${m}/${y})`;
  const [invoice, date] = [`${y}${m}01`, `01/${m}/${y}`];
  const options = "\nOperating System: Ubuntu 22.04 LTS\nLocation: Dallas";
  const line = (type: string, relid: string, description: string, amount: string) => [
    invoice,
    date,
    type,
    relid,
    description,
    amount,
    "",
  ];
  const rows: string[][] = [];
  const vps = sources.filter((s) => s.kind === "vps");
  for (const [k, s] of vps.entries()) {
    const host = s.hostname ?? `service ${s.serviceId ?? ""}`;
    const relid = s.hostname !== null && (k === 1 || k === 3) ? "0" : (s.serviceId ?? "0"); // 0: named by host only
    const amount = s.decommissioned ? "9.99" : k === 2 ? formatCents((centsOf(s.cost) ?? 0n) + 250n) : s.cost;
    rows.push(line("Hosting", relid, `Cloud VPS - ${host} ${period}${options}`, amount));
    if (k === 2) rows.push(line("PromoHosting", relid, "Promotion Code: LOYALTY - 2.50 Recurring Discount", "-2.50")); // prettier-ignore
  }
  const first = vps[0];
  if (first?.hostname)
    rows.push(line("Upgrade", "9001", `Upgrade/Downgrade: Cloud VPS - ${first.hostname}\nCloud VPS rid 10 => Cloud VPS rid 11 ${period}`, "2.00")); // prettier-ignore
  for (const s of sources.filter((x) => x.kind === "ip")) {
    const addon = line("Addon", "7001", `Additional IP Address - ${s.hostname ?? ""} ${period}`, s.cost);
    addon[6] = s.ip ?? ""; // the ledger's IP column: an add-on matches its IP when the line gives one
    rows.push(addon);
  }
  rows.push(line("Item", "0", `Server Snapshot - 40 GB ${period}`, "1.20"));
  if (untrackedSid !== undefined)
    rows.push(line("Hosting", String(untrackedSid), `Cloud VPS - sim-${String(untrackedSid)}.example.net ${period}`, "9.99")); // prettier-ignore
  rows.push(line("LateFee", "0", "Late Fee", "5.00"));
  return [["Invoice #", "Invoice Date", "Type", "Relid", "Description", "Amount", "IP Address"], ...rows];
}

/** A field as a spreadsheet writes it: quoted only when needed (multi-line descriptions are). */
const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes the month's invoice as Finance would type it from the client area, imports it, prints the month's accuracy. */
export async function importInvoice(cfg: Config, db: SqlRunner, month: string, untrackedSid?: number): Promise<void> {
  const rows = whmcsInvoice(month, await query(db, Q.invoiceSource, {}), untrackedSid);
  const file = join(mkdtempSync(join(tmpdir(), "cost-sync-demo-")), `hostwinds-${month}.csv`);
  writeFileSync(file, rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n");
  process.stdout.write(`   $ cost-sync invoices import ${file}   (WHMCS-shaped: ${String(rows.length - 1)} lines)\n`);
  await run("invoices import", invoicesCommand(cfg, ["import", file], process.stdout));
  process.stdout.write(`\n   $ cost-sync report invoices --month ${month}\n`);
  await run("report invoices", reportCommand(cfg, ["invoices", "--month", month], process.stdout));
}
