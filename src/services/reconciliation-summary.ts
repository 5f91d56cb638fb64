import type { SqlRunner } from "../db/client.js";
import { getRun, runUnpriced, type RunSummary } from "../db/writes/runs.js";
import { runUntrackedFigures } from "../db/writes/untracked.js";

export type { RunSummary };

/** What `reconcile --wait` prints of the run its job made. */
export interface ReconciliationSummary {
  run: RunSummary;
  /** The first VPS it could not price, and how many in all. */
  unpriced: Awaited<ReturnType<typeof runUnpriced>>;
  /** Its untracked spend and ghost rows; null when it did not check. */
  untracked: NonNullable<Awaited<ReturnType<typeof runUntrackedFigures>>> | null;
}

/** A finished run's figures, the first `unpricedShown` VPS it could not price, and its untracked figures. */
export async function reconciliationSummary(
  db: SqlRunner,
  runId: string,
  unpricedShown: number,
): Promise<ReconciliationSummary> {
  const run = await getRun(db, runId);
  if (!run) throw new Error(`reconciliation run ${runId} not found`);
  const unpriced = await runUnpriced(db, runId, unpricedShown);
  const untracked = (await runUntrackedFigures(db, runId)) ?? null;
  return { run, unpriced, untracked };
}
