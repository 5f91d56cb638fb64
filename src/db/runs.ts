import type { Db, SqlRunner } from "./client.js";
import type { AnomalyRule, WriteContext } from "./cost-fragments.js";
import { repriceIps } from "./ip-costs.js";
import { execute, query, statement } from "./sql.js";
import { markVpsUnpriced, writeVpsCosts, type VpsCost } from "./vps-costs.js";

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
  anomalies: number;
  hostwindsCalls: number;
  totalBefore: string | null;
  totalAfter: string | null;
  monthlyCostDifference: string | null;
  error: string | null;
}

const OPEN = statement<{ jobKey: string; trigger: string }, Run>("runs/open");
const ADVANCE = statement<ChunkTally & { runId: string }>("runs/advance");
const ADD_CALLS = statement<{ runId: string; calls: number }>("runs/add-calls");
const COMPLETE = statement<{ runId: string; ipChecked: number; ipChanged: number }, { id: string }>("runs/complete");
const FAIL = statement<{ runId: string; error: string }>("runs/fail");
const SUMMARY = statement<{ runId: string | null }, RunSummary>("runs/summary");

export async function openRun(db: SqlRunner, o: { jobKey: string; trigger: string }): Promise<Run> {
  const [run] = await query(db, OPEN, o);
  if (!run) throw new Error("opening the reconciliation run returned no row");
  return run;
}

/** Counts one committed chunk adds to its run. */
type ChunkTally = {
  cursor: string;
  checked: number;
  changed: number;
  unpriced: number;
  calls: number;
  ipChecked: number;
  ipChanged: number;
};

/** One priced chunk, ready to commit. */
export interface PricedChunk {
  /** The chunk's VPS ids, in walk order; the last one is the new cursor. */
  vpsIds: readonly string[];
  costs: readonly VpsCost[];
  unpriced: readonly { id: string; reason: string }[];
  calls: number;
}

export interface CommitOptions {
  run: { id: string; anomaly: AnomalyRule };
  chunk: PricedChunk;
  constantCents: bigint;
  write: WriteContext;
}

/**
 * One chunk in one transaction: the VPS costs, their IPs (which depend on the VPS's status),
 * anomalies of both, and the run's cursor and tallies. Returns the anomalies found.
 */
export async function commitChunk(db: Db, o: CommitOptions): Promise<number> {
  const cursor = o.chunk.vpsIds.at(-1);
  if (cursor === undefined) return 0;
  return db.$transaction(
    async (tx) => {
      const vps = await writeVpsCosts(tx, o.chunk.costs, { write: o.write, anomaly: o.run.anomaly });
      await markVpsUnpriced(tx, o.chunk.unpriced);
      const ips = await repriceIps(
        tx,
        { vpsIds: o.chunk.vpsIds },
        { constantCents: o.constantCents, write: o.write, anomaly: o.run.anomaly },
      );
      await execute(tx, ADVANCE, {
        runId: o.run.id,
        cursor,
        checked: o.chunk.vpsIds.length,
        changed: vps.changes.length,
        unpriced: o.chunk.unpriced.length,
        calls: o.chunk.calls,
        ipChecked: ips.checked,
        ipChanged: ips.changed,
      });
      return vps.anomalies + ips.anomalies;
    },
    { timeout: 60_000 },
  );
}

export async function addRunCalls(db: SqlRunner, runId: string, calls: number): Promise<void> {
  await execute(db, ADD_CALLS, { runId, calls });
}

/** Closes a run, adding the last IPs (those on no VPS) and the modelled total after it. */
export async function completeRun(
  db: SqlRunner,
  runId: string,
  ip: { checked: number; changed: number },
): Promise<RunSummary> {
  await query(db, COMPLETE, { runId, ipChecked: ip.checked, ipChanged: ip.changed });
  const summary = await getRun(db, runId);
  if (!summary) throw new Error(`reconciliation run ${runId} vanished while completing`);
  return summary;
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
