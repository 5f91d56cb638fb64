import { closeMonthCommand } from "../../src/cli/close-month-command.js";
import { reportCommand } from "../../src/cli/report-commands.js";
import type { Config } from "../../src/config/env.js";

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

/** The closing figures of the month-end side: untracked spend and the two-month trend of the closed months. */
export async function printMoney(cfg: Config): Promise<void> {
  process.stdout.write("\n== untracked spend (report untracked) ==\n");
  await run("report untracked", reportCommand(cfg, ["untracked"], process.stdout));
  process.stdout.write("\n== trend of the closed months (report trend) ==\n");
  await run("report trend", reportCommand(cfg, ["trend", "--months", "2"], process.stdout));
}

/** The demo's last word (issue #24): what can be cut, refreshed after the reconciliation and the invoice import. */
export async function printSavings(cfg: Config): Promise<void> {
  process.stdout.write("\n== savings: what can be cut (report savings) ==\n");
  await run("report savings", reportCommand(cfg, ["savings", "--wide"], process.stdout));
}

export async function run(what: string, code: Promise<number>): Promise<void> {
  if ((await code) !== 0) throw new Error(`demo: ${what} failed`);
}
