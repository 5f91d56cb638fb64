import type { SqlRunner } from "../client.js";
import { execute, query, statement } from "../sql.js";
import type { OpportunityFigures } from "./read-store.js";

/** What a savings refresh reads (candidates, cycles, answers) and the statement recording it (docs/savings.md). */

/** One opportunity as the refresh computed it; amounts are exact decimal strings. */
export interface Candidate {
  kind: string;
  vpsId: string | null;
  ipId: string | null;
  serviceId: string | null;
  ip: string | null;
  tenantId: string | null;
  monthlySaving: string | null;
  method: string;
  evidence: Record<string, unknown>;
  facts: Record<string, unknown>;
}

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

/** A candidate with its stable id, the hash of its facts and of all it records, ready to record. */
export interface Recorded extends OpportunityFigures {
  vpsId: string | null;
  ipId: string | null;
  factsHash: string;
  /** The hash of every figure recorded: an unchanged current row is not written again. */
  rowHash: string;
}

export interface Applied {
  opportunities: number;
  opened: number;
  reopened: number;
  done: number;
}

const CANDIDATES = statement<{ idleDays: number }, Candidate>("savings/candidates");
type CycleRow = Omit<CycleCandidate, "plan" | "vpsId" | "groupKey"> & {
  vpsId: string | null;
  groupKey: string | null;
  vps: number;
};
const CYCLE_CANDIDATES = statement<{ idle: string[]; savingGroups: string[]; savingCycles: string[] }, CycleRow>(
  "savings/cycle-candidates",
);
type Plan = { groupKey: string; plan: Record<string, unknown> };
const CYCLE_PLANS = statement<Record<string, never>, Plan>("savings/cycle-plans");
const ANSWERS = statement<{ runId: string }, CycleAnswer>("savings/cycle-answers");
const RECORD_ANSWERS = statement<{ runId: string; answers: string }>("savings/record-cycle-answers");
const APPLY = statement<
  {
    ids: string[];
    kinds: string[];
    vpsIds: (string | null)[];
    ipIds: (string | null)[];
    changed: string;
    operator: string;
    cyclesRunId: string | null;
    runId: string;
  },
  Applied
>("savings/apply");
const CURRENT_HASHES = statement<Record<string, never>, { id: string; rowHash: string | null }>(
  "savings/current-hashes",
);
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

export const savingsCandidates = (db: SqlRunner, idleDays: number) => query(db, CANDIDATES, { idleDays });
/** The plan of each catalogue group of the latest reconciliation with cycles. */
export const cyclePlans = (db: SqlRunner) => query(db, CYCLE_PLANS, {});
/** Own-price VPS and those of the catalogue pairs in `saving` (with the plan); the others counted. */
export async function cycleCandidates(
  db: SqlRunner,
  idle: string[],
  saving: ReadonlyArray<Plan & { cycle: string }>,
): Promise<{ runId: string | null; candidates: CycleCandidate[]; others: CycleGroup[] }> {
  const plans = new Map(saving.map((g) => [g.groupKey, g.plan]));
  const [savingGroups, savingCycles] = [saving.map((g) => g.groupKey), saving.map((g) => g.cycle)];
  const rows = await query(db, CYCLE_CANDIDATES, { idle, savingGroups, savingCycles });
  const [candidates, others]: [CycleCandidate[], CycleGroup[]] = [[], []];
  for (const { vps, ...r } of rows) {
    if (r.vpsId === null) others.push({ groupKey: r.groupKey ?? "", cycle: r.cycle, vps });
    else {
      const plan = r.catalogue && r.groupKey !== null ? (plans.get(r.groupKey) ?? null) : null;
      candidates.push({ ...r, vpsId: r.vpsId, plan });
    }
  }
  return { runId: rows[0]?.runId ?? null, candidates, others };
}
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

/** The hash of the recorded figures of each current opportunity, by id (under the apply lock). */
export async function currentRowHashes(tx: SqlRunner): Promise<Map<string, string | null>> {
  return new Map((await query(tx, CURRENT_HASHES, {})).map((r) => [r.id, r.rowHash]));
}

/**
 * Records every opportunity of a refresh and its state changes (savings/apply.sql): all found are
 * named (id, kind, resource); only `changed` (those whose stored figures differ) are written.
 */
export async function applyOpportunities(
  db: SqlRunner,
  o: {
    found: readonly Recorded[];
    changed: readonly Recorded[];
    operator: string;
    cyclesRunId: string | null;
    runId: string;
  },
): Promise<Applied> {
  const [row] = await query(db, APPLY, {
    ids: o.found.map((r) => r.id),
    kinds: o.found.map((r) => r.kind),
    vpsIds: o.found.map((r) => r.vpsId),
    ipIds: o.found.map((r) => r.ipId),
    changed: JSON.stringify(o.changed),
    operator: o.operator,
    cyclesRunId: o.cyclesRunId,
    runId: o.runId,
  });
  return row ?? { opportunities: 0, opened: 0, reopened: 0, done: 0 };
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
