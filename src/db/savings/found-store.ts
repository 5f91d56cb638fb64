import type { SqlRunner } from "../client.js";
import { execute, query, statement } from "../sql.js";
import type { Applied, CycleCandidate, CycleGroup } from "./refresh-store.js";

/**
 * The opportunities of one refresh, staged in its transaction (savings_found) and recorded from there
 * (docs/savings.md, "Performance"): the SQL kinds never leave PostgreSQL, the VPS that may save on a
 * longer cycle are read and judged a batch at a time, so the process holds one batch, not the fleet.
 */

/** A billing_cycle opportunity judged by the refresh, with its stable id and the hash of its facts. */
export interface CycleOpportunity {
  id: string;
  kind: "billing_cycle";
  vpsId: string;
  serviceId: string;
  tenantId: string | null;
  monthlySaving: string;
  upfront: string;
  breakEvenMonths: string;
  method: string;
  evidence: Record<string, unknown>;
  factsHash: string;
}

/** The own-price VPS not asked yet, with the reconciliation run their answers are kept for. */
export interface Unasked {
  serviceId: string;
  runId: string;
}

type CycleRow = Omit<CycleCandidate, "plan" | "vpsId" | "groupKey"> & {
  vpsId: string | null;
  groupKey: string | null;
  vps: number;
  n: number;
};
type Plan = { groupKey: string; plan: Record<string, unknown> };

const FOUND_CREATE = statement("savings/found-create");
const FOUND_ANALYZE = statement("savings/found-analyze");
const UNCHANGED_CREATE = statement("savings/unchanged-create");
const UNCHANGED = statement("savings/unchanged");
const LOCK_WRITTEN = statement("savings/lock-written");
const CANDIDATES = statement<{ idleDays: number }>("savings/candidates");
const CYCLE_PLANS = statement<Record<string, never>, Plan>("savings/cycle-plans");
const CYCLE_ROWS_CREATE = statement("savings/cycle-rows-create");
const CYCLE_CANDIDATES = statement<{ savingGroups: string[]; savingCycles: string[] }>("savings/cycle-candidates");
const CYCLE_ROWS = statement<{ after: number; limit: number }, CycleRow>("savings/cycle-rows");
const STAGE_CYCLES = statement<{ batch: string }>("savings/stage-cycles");
const UNASKED = statement<{ idleDays: number }, Unasked>("savings/own-price-unasked");
const APPLY = statement<{ operator: string; cyclesRunId: string | null; runId: string }, Applied>("savings/apply");

/** Own-price VPS of the latest reconciliation that get_billingcycle_prices was not asked about yet. */
export const ownPriceUnasked = (db: SqlRunner, idleDays: number) => query(db, UNASKED, { idleDays });

/**
 * Creates the transaction's staging tables and stages the opportunities found from the database alone
 * (savings/candidates.sql); the idle VPS among them are left out of the cycle candidates.
 */
export async function stageCandidates(tx: SqlRunner, idleDays: number): Promise<void> {
  await execute(tx, FOUND_CREATE, {});
  await execute(tx, CYCLE_ROWS_CREATE, {});
  await execute(tx, UNCHANGED_CREATE, {});
  await execute(tx, CANDIDATES, { idleDays });
}

/** The plan of each catalogue group of the latest reconciliation with cycles. */
export const cyclePlans = (tx: SqlRunner) => query(tx, CYCLE_PLANS, {});

/**
 * The VPS that may save on a longer cycle, `limit` at a time: every own-price VPS and those of the
 * catalogue pairs in `saving` (with their plan); the VPS of the other pairs counted per group and cycle.
 */
export async function* cycleCandidateBatches(
  tx: SqlRunner,
  saving: ReadonlyArray<Plan & { cycle: string }>,
  limit: number,
): AsyncGenerator<{ runId: string; candidates: CycleCandidate[]; others: CycleGroup[] }> {
  const plans = new Map(saving.map((g) => [g.groupKey, g.plan]));
  const [savingGroups, savingCycles] = [saving.map((g) => g.groupKey), saving.map((g) => g.cycle)];
  await execute(tx, CYCLE_CANDIDATES, { savingGroups, savingCycles });
  for (let after = 0; ;) {
    const rows = await query(tx, CYCLE_ROWS, { after, limit });
    const [candidates, others]: [CycleCandidate[], CycleGroup[]] = [[], []];
    for (const { vps, n, ...r } of rows) {
      after = Math.max(after, n);
      if (r.vpsId === null) others.push({ groupKey: r.groupKey ?? "", cycle: r.cycle, vps });
      else {
        const plan = r.catalogue && r.groupKey !== null ? (plans.get(r.groupKey) ?? null) : null;
        candidates.push({ ...r, vpsId: r.vpsId, plan });
      }
    }
    if (rows[0]) yield { runId: rows[0].runId, candidates, others };
    if (rows.length < limit) return;
  }
}

/** Stages a batch of billing_cycle opportunities. */
export async function stageCycleOpportunities(tx: SqlRunner, batch: readonly CycleOpportunity[]): Promise<void> {
  if (batch.length > 0) await execute(tx, STAGE_CYCLES, { batch: JSON.stringify(batch) });
}

/**
 * Records the staged opportunities and their state changes (savings/apply.sql), after the staging
 * table's statistics are read (its size decides the plan), those whose stored row records the
 * same figures are noted (savings/unchanged.sql), and the rows it may change are locked
 * (savings/lock-written.sql), so it reads their previous states as they are.
 */
export async function applyStaged(
  tx: SqlRunner,
  o: { operator: string; cyclesRunId: string | null; runId: string },
): Promise<Applied> {
  await execute(tx, FOUND_ANALYZE, {});
  await execute(tx, UNCHANGED, {});
  await execute(tx, LOCK_WRITTEN, {});
  const [row] = await query(tx, APPLY, o);
  return row ?? { opportunities: 0, opened: 0, reopened: 0, done: 0 };
}
