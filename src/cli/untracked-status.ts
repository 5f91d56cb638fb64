import type { SqlRunner } from "../db/client.js";
import {
  latestUntracked,
  runGhosts,
  runUntracked,
  type GhostRow,
  type LatestUntracked,
  type UntrackedInstance,
} from "../db/writes/untracked.js";
import { clean } from "./output.js";
import { render } from "./table.js";

/**
 * Untracked spend and ghost rows as `status` shows them (docs/untracked.md): the figures of the
 * latest completed reconciliation that checked, and its lists.
 */

type UntrackedFiguresLine = Pick<LatestUntracked, "instances" | "unpriced" | "monthlyUsd">;

interface Capped<T> {
  total: number;
  shown: T[];
}

export interface UntrackedStatus extends LatestUntracked {
  /** Its untracked instances, the costliest first. */
  list: Capped<UntrackedInstance>;
  /** Its ghost rows; null when it could not check. */
  ghosts: Capped<GhostRow> | null;
}

/** The latest run that checked, with its first `limit` instances and ghosts; null when no run has. */
export async function readUntrackedStatus(db: SqlRunner, limit: number): Promise<UntrackedStatus | null> {
  const latest = await latestUntracked(db);
  if (!latest) return null;
  const list = await runUntracked(db, latest.runId, limit);
  const ghosts = latest.ghostRows === null ? null : await runGhosts(db, latest.runId, limit);
  return { ...latest, list, ghosts };
}

/** One line: "3 instance(s), 27.45 USD/month (1 unpriced, not in that total)". */
export function describeUntracked(u: Pick<LatestUntracked, "instances" | "unpriced" | "monthlyUsd">): string {
  const unpriced = u.unpriced > 0 ? ` (${String(u.unpriced)} unpriced, not in that total)` : "";
  return `${String(u.instances)} instance(s), ${u.monthlyUsd} USD/month${unpriced}`;
}

export function describeGhosts(ghostRows: number | null): string {
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

function section(out: NodeJS.WritableStream, title: string, l: Capped<object>, maxWidth: number | undefined): void {
  if (l.total === 0) return;
  const count = l.shown.length < l.total ? `${String(l.shown.length)} of ${String(l.total)}` : String(l.total);
  const rows = l.shown.map((r) => ({ ...r }));
  out.write(`\n${title} (${count}):\n${render(rows, "table", undefined, { maxWidth })}`);
}
