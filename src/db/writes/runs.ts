import type { SqlRunner } from "../client.js";
import { execute, query, statement } from "../sql.js";
import type { CappedList } from "../../capped-list.js";

/**
 * A reconciliation run: opened by its job (found again on a retry, to resume), advanced one
 * committed chunk at a time, then completed or failed. Its row is what `status` and
 * `reconcile --wait` show.
 */
export interface Run {
  id: string;
  status: "running" | "completed" | "failed";
  /** The last VPS id of the last committed chunk; the walk resumes after it. */
  cursor: string | null;
}

export interface RunSummary {
  id: string;
  status: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  vpsChecked: number;
  vpsChanged: number;
  vpsUnpriced: number;
  vpsFailed: number;
  ipChecked: number;
  ipChanged: number;
  vpsSkipped: number;
  ipSkipped: number;
  anomalies: number;
  hostwindsCalls: number;
  callsList: number;
  callsLearn: number;
  callsVerify: number;
  callsFallback: number;
  totalBefore: string | null;
  totalAfter: string | null;
  monthlyCostDifference: string | null;
  error: string | null;
}

const OPEN = statement<{ jobKey: string; trigger: string }, Run>("runs/open");
/** A run's Hostwinds calls by purpose (docs/decisions.md, "Catalogue pricing"). */
export type CallsByPurpose = {
  list: number;
  learn: number;
  verify: number;
  fallback: number;
};

const ADD_CALLS = statement<CallsByPurpose & { runId: string }>("runs/add-calls");
const COMPLETE = statement<{ runId: string; ipChecked: number; ipChanged: number; ipSkipped: number }, { id: string }>(
  "runs/complete",
);
const UNPRICED = statement<
  { runId: string; limit: number },
  { vpsId: string; serviceid: string | null; reason: string; total: number }
>("runs/unpriced");
const CHECKED = statement<{ runId: string }, { n: number }>("runs/checked");
const FAIL = statement<{ runId: string; error: string }>("runs/fail");
const SUMMARY = statement<{ runId: string | null }, RunSummary>("runs/summary");

export async function openRun(db: SqlRunner, o: { jobKey: string; trigger: string }): Promise<Run> {
  const [run] = await query(db, OPEN, o);
  if (!run) throw new Error("opening the reconciliation run returned no row");
  return run;
}

export async function addRunCalls(db: SqlRunner, runId: string, calls: Partial<CallsByPurpose>): Promise<void> {
  await execute(db, ADD_CALLS, { runId, list: 0, learn: 0, verify: 0, fallback: 0, ...calls });
}

/** Closes a run, adding the last IPs (those on no VPS) and the modelled total after it. */
export async function completeRun(
  db: SqlRunner,
  runId: string,
  ip: { checked: number; changed: number; skipped: number },
): Promise<RunSummary> {
  await query(db, COMPLETE, { runId, ipChecked: ip.checked, ipChanged: ip.changed, ipSkipped: ip.skipped });
  const summary = await getRun(db, runId);
  if (!summary) throw new Error(`reconciliation run ${runId} vanished while completing`);
  return summary;
}

/** How many VPS a run has checked so far (a resumed run's progress starts there). */
export async function runCheckedSoFar(db: SqlRunner, runId: string): Promise<number> {
  return (await query(db, CHECKED, { runId }))[0]?.n ?? 0;
}

export async function failRun(db: SqlRunner, runId: string, error: string): Promise<void> {
  await execute(db, FAIL, { runId, error });
}

export async function getRun(db: SqlRunner, runId: string): Promise<RunSummary | undefined> {
  return (await query(db, SUMMARY, { runId }))[0];
}

export async function latestRun(db: SqlRunner): Promise<RunSummary | undefined> {
  return (await query(db, SUMMARY, { runId: null }))[0];
}

/** The VPS a run could not price, with the reasons: the first `limit`, and the total. */
export async function runUnpriced(
  db: SqlRunner,
  runId: string,
  limit: number,
): Promise<CappedList<{ vpsId: string; serviceid: string | null; reason: string }>> {
  const rows = await query(db, UNPRICED, { runId, limit });
  return {
    total: rows[0]?.total ?? 0,
    shown: rows.map(({ vpsId, serviceid, reason }) => ({ vpsId, serviceid, reason })),
  };
}
