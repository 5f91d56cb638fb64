import type { SqlRunner } from "../client.js";
import { execute, query, statement } from "../sql.js";

/** What a savings refresh reads besides its staged opportunities (cycles, answers) and its run (docs/savings.md). */

/** A VPS whose cycle may be shortened; `plan` (catalogue groups) holds every cycle's price. */
export interface CycleCandidate {
  vpsId: string;
  serviceId: string;
  tenantId: string | null;
  monthlyCost: string;
  cycle: string;
  runId: string;
  catalogue: boolean;
  groupKey: string | null;
  /** The same object for every VPS of a group. */
  plan: Record<string, unknown> | null;
  ownPriceReason: string;
}

/** Catalogue VPS of a (group, cycle) that does not save: counted, not read one by one. */
export type CycleGroup = { groupKey: string; cycle: string; vps: number };

/** A get_billingcycle_prices answer as recorded for a run. */
export interface CycleAnswer {
  serviceId: string;
  outcome: "prices" | "none" | "malformed";
  prices: Record<string, string> | null;
  reason: string | null;
}

export interface Applied {
  opportunities: number;
  opened: number;
  reopened: number;
  done: number;
}

const ANSWERS = statement<{ runId: string }, CycleAnswer>("savings/cycle-answers");
const RECORD_ANSWERS = statement<{ runId: string; answers: string }>("savings/record-cycle-answers");
const WORK_MEM = statement("savings/work-mem");
const RUN_OPEN = statement<{ trigger: string; idleDays: number; reconciliationRunId: string | null }, { id: string }>(
  "savings/run-open",
);
const RUN_FINISH = statement<{
  id: string;
  opportunities: number;
  opened: number;
  done: number;
  reopened: number;
  calls: number;
  cycleUnknown: number;
}>("savings/run-finish");
const RECORD_CYCLES = statement<{ runId: string; cycles: string }>("savings/record-cycles");
const PRUNE_CYCLES = statement<{ runId: string }>("savings/prune-cycles");
const LOCK_APPLY = statement("savings/lock-apply");

export const cycleAnswers = (db: SqlRunner, runId: string) => query(db, ANSWERS, { runId });

export async function recordCycleAnswers(db: SqlRunner, runId: string, answers: readonly CycleAnswer[]) {
  if (answers.length > 0) await execute(db, RECORD_ANSWERS, { runId, answers: JSON.stringify(answers) });
}

/** Waits for any other refresh recording its opportunities; held until the caller's transaction ends. */
export async function lockSavingsApply(tx: SqlRunner): Promise<void> {
  await execute(tx, LOCK_APPLY, {});
}

/** Room in memory for the refresh's fleet-wide hash tables, for the rest of the transaction `tx`. */
export async function savingsWorkMem(tx: SqlRunner): Promise<void> {
  await execute(tx, WORK_MEM, {});
}

export async function openSavingsRun(
  db: SqlRunner,
  o: { trigger: string; idleDays: number; reconciliationRunId: string | null },
): Promise<string> {
  const [row] = await query(db, RUN_OPEN, o);
  if (!row) throw new Error("cost_savings_runs: no row returned");
  return row.id;
}

export async function finishSavingsRun(
  db: SqlRunner,
  o: { id: string; applied: Applied; calls: number; cycleUnknown: number },
): Promise<void> {
  const { opportunities, opened, done, reopened } = o.applied;
  await execute(db, RUN_FINISH, {
    id: o.id,
    opportunities,
    opened,
    done,
    reopened,
    calls: o.calls,
    cycleUnknown: o.cycleUnknown,
  });
}

/** One listed instance's cycle and plan group, as a completed run read it. */
export interface InstanceCycle {
  serviceId: number;
  cycle: string;
  groupKey: string | null;
}

/** Records a completed run's cycles in batches, then drops older runs' (only the latest is read). */
export async function recordRunCycles(db: SqlRunner, runId: string, cycles: readonly InstanceCycle[]): Promise<void> {
  const BATCH = 5000;
  for (let i = 0; i < cycles.length; i += BATCH) {
    const batch = cycles.slice(i, i + BATCH).map((c) => ({ s: c.serviceId, c: c.cycle, g: c.groupKey }));
    await execute(db, RECORD_CYCLES, { runId, cycles: JSON.stringify(batch) });
  }
  await execute(db, PRUNE_CYCLES, { runId });
}
