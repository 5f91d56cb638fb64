import { pgTransaction } from "../../db/sql.js";
import {
  applyStaged,
  cycleCandidateBatches,
  cyclePlans,
  ownPriceUnasked,
  stageCandidates,
  stageCycleOpportunities,
  type CycleOpportunity,
} from "../../db/savings/found-store.js";
import {
  cycleAnswers,
  finishSavingsRun,
  lockSavingsApply,
  openSavingsRun,
  recordCycleAnswers,
  savingsWorkMem,
  type Applied,
  type CycleAnswer,
  type CycleCandidate,
} from "../../db/savings/refresh-store.js";
import type { Db, SqlRunner } from "../../db/client.js";
import { jitOff, readWithoutJit } from "../../db/without-jit.js";
import { BILLING_CYCLES } from "../../hostwinds/schemas.js";
import { formatCents } from "../../money.js";
import type { CycleSaving } from "../../pricing/cycle-savings.js";
import { askCyclePrices, judgeCycle, type CyclePriceReader } from "./cycle-prices.js";
import { factsHash, opportunityId } from "./identity.js";

/** What a refresh needs, from the composition root. */
export interface RefreshDeps {
  db: Db;
  /** Hostwinds through the shared budget; without it, own-price VPS not asked yet stay unknown. */
  hostwinds?: CyclePriceReader;
  idleDays: number;
  operator: string;
  concurrency: number;
  /** VPS judged for a longer cycle per batch (the most the process holds at once); 2,000 unless set. */
  batch?: number;
}

/** What one refresh found and did. */
export interface RefreshResult extends Applied {
  runId: string;
  /** get_billingcycle_prices calls this refresh made. */
  calls: number;
  /** VPS whose cycle opportunity is unknown, by reason ("answered {}", "not understood: …"). */
  cycleUnknown: Record<string, number>;
}

type Judged = ReturnType<typeof judgeCycle>;

/**
 * Recomputes every opportunity (docs/savings.md): idle IPs and VPS, VPS billed after their
 * decommission and untracked instances in the database; billing cycles from the latest
 * reconciliation's cycles, priced from the catalogue for verified groups (no call) and from
 * get_billingcycle_prices for VPS with their own price (one call per VPS per reconciliation, asked
 * first, outside the recording transaction). Then, in one transaction under the apply lock, stages
 * them (the cycles judged a batch at a time) and records them and their state changes in one statement.
 */
export async function refreshSavings(deps: RefreshDeps, trigger: string): Promise<RefreshResult> {
  const calls = await askUnasked(deps);
  const { applied, runId, cycleUnknown } = await pgTransaction(
    deps.db,
    async (tx) => {
      // One refresh records at a time: each reads the other's committed outcome, never half of it.
      await lockSavingsApply(tx);
      await jitOff(tx);
      await savingsWorkMem(tx);
      await stageCandidates(tx, deps.idleDays);
      const { reconciliationRunId, cycleUnknown } = await stageCycles(tx, deps.batch ?? 2000);
      const runId = await openSavingsRun(tx, { trigger, idleDays: deps.idleDays, reconciliationRunId });
      const applied = await applyStaged(tx, { operator: deps.operator, cyclesRunId: reconciliationRunId, runId });
      return { applied, runId, cycleUnknown };
      // A whole fleet's opportunities are one transaction: more than Prisma's 5 s default on a large fleet.
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
  const unknown = Object.values(cycleUnknown).reduce((a, b) => a + b, 0);
  await finishSavingsRun(deps.db, { id: runId, applied, calls, cycleUnknown: unknown });
  return { runId, ...applied, calls, cycleUnknown };
}

const planKey = (groupKey: string | null, cycle: string) => `${groupKey ?? ""}\u0000${cycle}`;

/**
 * Judges the VPS that may save on a longer cycle and stages those that do, a batch at a time. A
 * catalogue VPS's outcome depends on its group's plan and its cycle only: each (group, cycle) is
 * judged once (`byPlan`), and only the VPS of the pairs that save are read one by one; the others
 * are counted. Own-price VPS are judged from their recorded answers.
 */
async function stageCycles(tx: SqlRunner, batch: number) {
  const byPlan = new Map<string, Judged>();
  const saving = (await cyclePlans(tx)).flatMap(({ groupKey, plan }) =>
    BILLING_CYCLES.flatMap((cycle) => {
      const judged = judgeCycle({ cycle, catalogue: true, plan }, undefined);
      byPlan.set(planKey(groupKey, cycle), judged);
      return judged.kind === "saving" ? [{ groupKey, cycle, plan }] : [];
    }),
  );
  const cycleUnknown: Record<string, number> = {};
  const countUnknown = (judged: Judged, vps: number) => {
    if (
      judged.kind === "none" &&
      !judged.reason.startsWith("already on") &&
      !judged.reason.startsWith("no longer cycle")
    )
      cycleUnknown[judged.reason] = (cycleUnknown[judged.reason] ?? 0) + vps;
  };
  let reconciliationRunId: string | null = null;
  let answers: Map<string, CycleAnswer> | undefined;
  const factsHashes = new WeakMap<object, string>();
  for await (const { runId, candidates, others } of cycleCandidateBatches(tx, saving, batch)) {
    reconciliationRunId ??= runId;
    // The catalogue VPS of a pair that does not save, counted (a cycle with no term price is judged before any plan).
    for (const g of others)
      countUnknown(
        byPlan.get(planKey(g.groupKey, g.cycle)) ?? judgeCycle({ ...g, catalogue: true, plan: {} }, undefined),
        g.vps,
      );
    const found: CycleOpportunity[] = [];
    for (const c of candidates) {
      answers ??= c.catalogue ? undefined : await answersOf(tx, c.runId);
      const judged = c.catalogue
        ? (byPlan.get(planKey(c.groupKey, c.cycle)) ?? judgeCycle(c, undefined))
        : judgeCycle(c, answers?.get(c.serviceId));
      if (judged.kind === "saving") found.push(cycleOpportunity(c, judged, c.runId, factsHashes));
      else if (!c.catalogue) countUnknown(judged, 1);
    }
    await stageCycleOpportunities(tx, found);
  }
  return { reconciliationRunId, cycleUnknown };
}

/** The get_billingcycle_prices answers recorded for a reconciliation run, by serviceid. */
async function answersOf(tx: SqlRunner, runId: string): Promise<Map<string, CycleAnswer>> {
  return new Map((await cycleAnswers(tx, runId)).map((a) => [a.serviceId, a]));
}

/**
 * Asks get_billingcycle_prices about the own-price VPS not asked yet for the latest reconciliation
 * (when Hostwinds is at hand) and records the answers; how many calls it made.
 */
async function askUnasked(deps: RefreshDeps): Promise<number> {
  if (!deps.hostwinds) return 0;
  const unasked = await readWithoutJit(deps.db, async (tx) => {
    await savingsWorkMem(tx);
    return ownPriceUnasked(tx, deps.idleDays);
  });
  const runId = unasked[0]?.runId;
  if (runId === undefined) return 0;
  const asked = await askCyclePrices(
    deps.hostwinds,
    unasked.map((u) => u.serviceId),
    deps.concurrency,
  );
  await recordCycleAnswers(deps.db, runId, asked);
  return asked.length;
}

/** A billing_cycle opportunity: the facts it rests on are the cycle and the prices compared. */
function cycleOpportunity(
  c: CycleCandidate,
  judged: CycleSaving & { source: string },
  runId: string | null,
  factsHashes: WeakMap<object, string>,
): CycleOpportunity {
  const facts = {
    cycle: judged.currentCycle,
    currentMonthly: formatCents(judged.currentMonthlyCents),
    targetCycle: judged.targetCycle,
    targetMonthly: formatCents(judged.targetMonthlyCents),
    upfront: formatCents(judged.upfrontCents),
    priceSource: judged.source,
  };
  // The facts are the judged outcome's: hashed once per outcome (a catalogue plan and cycle), not per VPS.
  const hash = factsHashes.get(judged) ?? factsHash({ kind: "billing_cycle", facts });
  factsHashes.set(judged, hash);
  return {
    id: opportunityId("billing_cycle", c.vpsId),
    kind: "billing_cycle",
    vpsId: c.vpsId,
    serviceId: c.serviceId,
    tenantId: c.tenantId,
    monthlySaving: formatCents(judged.monthlySavingCents),
    upfront: formatCents(judged.upfrontCents),
    breakEvenMonths: judged.breakEvenMonths,
    method: judged.method,
    evidence: { ...facts, since: null, modelledMonthly: c.monthlyCost, reconciliationRunId: runId },
    factsHash: hash,
  };
}
