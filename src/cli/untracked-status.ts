import { cappedCount, type CappedList } from "../capped-list.js";
import type { LatestUntracked, UntrackedStatus } from "../services/status-report.js";
import { clean } from "./output.js";
import { render } from "./table.js";

/**
 * Untracked spend and ghost rows as `status`, `reconcile --wait` and `report untracked` print them
 * (docs/untracked.md): the figures of the latest completed reconciliation that checked, and its lists.
 */

type UntrackedFiguresLine = Pick<LatestUntracked, "instances" | "unpriced" | "monthlyUsd">;

/** One line: "3 instance(s), 27.45 USD/month (1 unpriced, not in that total)". */
function describeUntracked(u: Pick<LatestUntracked, "instances" | "unpriced" | "monthlyUsd">): string {
  const unpriced = u.unpriced > 0 ? ` (${String(u.unpriced)} unpriced, not in that total)` : "";
  return `${String(u.instances)} instance(s), ${u.monthlyUsd} USD/month${unpriced}`;
}

function describeGhosts(ghostRows: number | null): string {
  return ghostRows === null ? "not checked (that run's listing was incomplete)" : `${String(ghostRows)} row(s)`;
}

/** The status lines: the figures of the latest run that checked. */
export function printUntrackedFigures(u: UntrackedStatus | null, out: NodeJS.WritableStream): void {
  const w = (line: string) => out.write(`${clean(line)}\n`);
  if (!u) {
    w("untracked at Hostwinds: not checked yet (no completed reconciliation has compared the account with the rows)");
    return;
  }
  const at = u.checkedAt?.toISOString() ?? "?";
  // Two lines, so that each fits 120 columns with a full run id (issue #25).
  w(`untracked at Hostwinds: ${describeUntracked(u)}; fleet-level`);
  w(`  checked by run ${u.runId} at ${at}`);
  w(`ghost rows (VPS rows Hostwinds does not list as live): ${describeGhosts(u.ghostRows)}`);
}

/** The status lists: that run's untracked instances and ghost rows, when there are any. */
export function printUntrackedLists(
  u: UntrackedStatus | null,
  out: NodeJS.WritableStream,
  maxWidth: number | undefined,
): void {
  if (!u) return;
  section(out, "untracked instances (no VPS row names them; `report untracked` lists all)", u.list, maxWidth);
  if (u.ghosts) section(out, "ghost rows", u.ghosts, maxWidth);
}

/** One run's figures in one line (`reconcile --wait`); null when the run did not check. */
export function untrackedLine(u: (UntrackedFiguresLine & { ghostRows: number | null }) | null): string {
  if (!u) return "untracked at Hostwinds: not checked by this run";
  return `untracked at Hostwinds: ${describeUntracked(u)}; ghost rows: ${describeGhosts(u.ghostRows)} (report untracked lists them)`;
}

/** What `report untracked` prints under its table: which run, and its figures. */
export function untrackedFooter(u: LatestUntracked | undefined): string {
  if (!u) return "\nno completed reconciliation has compared the account with the rows yet.\n";
  const at = u.checkedAt?.toISOString() ?? "?";
  return (
    `\nrun ${u.runId} (${at}): untracked ${describeUntracked(u)}; ghost rows: ${describeGhosts(u.ghostRows)}.\n` +
    "Fleet-level, never attributed to a tenant; internal cost modelling, not billing.\n"
  );
}

function section(out: NodeJS.WritableStream, title: string, l: CappedList<object>, maxWidth: number | undefined): void {
  if (l.total === 0) return;
  const count = cappedCount(l);
  const rows = l.shown.map((r) => ({ ...r }));
  out.write(`\n${title} (${count}):\n${render(rows, "table", undefined, { maxWidth })}`);
}
