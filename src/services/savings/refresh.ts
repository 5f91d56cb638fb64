import type { Db } from "../../db/client.js";
import { pgTransaction } from "../../db/sql.js";
import {
  applyOpportunities,
  currentRowHashes,
  cycleAnswers,
  cycleCandidates,
  cyclePlans,
  finishSavingsRun,
  lockSavingsApply,
  openSavingsRun,
  recordCycleAnswers,
  savingsCandidates,
  savingsWorkMem,
  type Applied,
  type Candidate,
  type CycleAnswer,
  type CycleCandidate,
  type Recorded,
} from "../../db/savings/refresh-store.js";
import { jitOff, readWithoutJit } from "../../db/without-jit.js";
import { BILLING_CYCLES } from "../../hostwinds/schemas.js";
import { formatCents } from "../../money.js";
import type { CycleSaving } from "../../pricing/cycle-savings.js";
import { askCyclePrices, judgeCycle, type CyclePriceReader } from "./cycle-prices.js";
import { factsHash, opportunityId, rowHash, type SavingsKind } from "./identity.js";

/** What a refresh needs, from the composition root. */
export interface RefreshDeps {
  db: Db;
  /** Hostwinds through the shared budget; without it, own-price VPS not asked yet stay unknown. */
  hostwinds?: CyclePriceReader;
  idleDays: number;
  operator: string;
  concurrency: number;
}

/** What one refresh found and did. */
export interface RefreshResult extends Applied {
  runId: string;
  /** get_billingcycle_prices calls this refresh made. */
  calls: number;
  /** VPS whose cycle opportunity is unknown, by reason ("answered {}", "not understood: …"). */
  cycleUnknown: Record<string, number>;
}

const resourceOf = (c: Pick<Candidate, "kind" | "vpsId" | "ipId" | "serviceId">): string =>
  c.kind === "idle_ip" ? (c.ipId ?? "") : c.kind === "untracked" ? (c.serviceId ?? "") : (c.vpsId ?? "");

function recordedOf(c: Candidate, extra: Partial<Recorded> = {}): Recorded {
  const r: Omit<Recorded, "rowHash"> = {
    id: opportunityId(c.kind as SavingsKind, resourceOf(c)),
    kind: c.kind,
    vpsId: c.vpsId,
    ipId: c.ipId,
    serviceId: c.serviceId,
    ip: c.ip,
    tenantId: c.tenantId,
    monthlySaving: c.monthlySaving,
    upfront: null,
    breakEvenMonths: null,
    method: c.method,
    evidence: c.evidence,
    factsHash: factsHash({ kind: c.kind, facts: c.facts }),
    ...extra,
  };
  return { ...r, rowHash: rowHash(JSON.stringify(r)) };
}

/**
 * Recomputes every opportunity (docs/savings.md): idle IPs and VPS, VPS billed after their
 * decommission and untracked instances from the database; billing cycles from the latest
 * reconciliation's cycles, priced from the catalogue for verified groups (no call) and from
 * get_billingcycle_prices for VPS with their own price (one call per VPS per reconciliation).
 * Records them and their state changes in one statement.
 */
export async function refreshSavings(deps: RefreshDeps, trigger: string): Promise<RefreshResult> {
  const { found, reconciliationRunId, cycles, others, byPlan } = await readCandidates(deps);
  const runId = await openSavingsRun(deps.db, { trigger, idleDays: deps.idleDays, reconciliationRunId });
  const { answers, calls } = await ownPriceAnswers(deps, cycles, reconciliationRunId);
  const recorded = found.map((c) => recordedOf(c));
  const cycleUnknown: Record<string, number> = {};
  const countUnknown = (judged: ReturnType<typeof judgeCycle>, vps: number) => {
    if (
      judged.kind === "none" &&
      !judged.reason.startsWith("already on") &&
      !judged.reason.startsWith("no longer cycle")
    )
      cycleUnknown[judged.reason] = (cycleUnknown[judged.reason] ?? 0) + vps;
  };
  // The catalogue VPS of a pair that does not save, counted (a cycle with no term price is judged before any plan).
  for (const g of others)
    countUnknown(
      byPlan.get(planKey(g.groupKey, g.cycle)) ?? judgeCycle({ ...g, catalogue: true, plan: {} }, undefined),
      g.vps,
    );
  const factsHashes = new WeakMap<object, string>();
  for (const c of cycles) {
    const judged = c.catalogue
      ? (byPlan.get(planKey(c.groupKey, c.cycle)) ?? judgeCycle(c, undefined))
      : judgeCycle(c, answers.get(c.serviceId));
    if (judged.kind === "saving") recorded.push(cycleOpportunity(c, judged, reconciliationRunId, factsHashes));
    else if (!c.catalogue) countUnknown(judged, 1);
  }
  const applied = await pgTransaction(
    deps.db,
    async (tx) => {
      // One refresh records at a time: each reads the other's committed outcome, never half of it.
      await lockSavingsApply(tx);
      await jitOff(tx);
      await savingsWorkMem(tx);
      // Only what changed is sent and written: an unchanged current row stays as it is.
      const stored = await currentRowHashes(tx);
      const changed = recorded.filter((r) => stored.get(r.id) !== r.rowHash);
      return applyOpportunities(tx, {
        found: recorded,
        changed,
        operator: deps.operator,
        cyclesRunId: reconciliationRunId,
        runId,
      });
      // A whole fleet's opportunities are one statement: more than Prisma's 5 s default on a large fleet.
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
  const unknown = Object.values(cycleUnknown).reduce((a, b) => a + b, 0);
  await finishSavingsRun(deps.db, { id: runId, applied, calls, cycleUnknown: unknown });
  return { runId, ...applied, calls, cycleUnknown };
}

const planKey = (groupKey: string | null, cycle: string) => `${groupKey ?? ""}\u0000${cycle}`;

/**
 * The opportunities found by SQL, and the VPS that may save on a longer cycle. A catalogue VPS's
 * outcome depends on its group's plan and its cycle only: each (group, cycle) is judged once
 * (`byPlan`), and only the VPS of the pairs that save are read one by one; the others are counted.
 */
async function readCandidates(deps: RefreshDeps) {
  const byPlan = new Map<string, ReturnType<typeof judgeCycle>>();
  const [found, read] = await readWithoutJit(deps.db, async (tx) => {
    await savingsWorkMem(tx);
    const candidates = await savingsCandidates(tx, deps.idleDays);
    // An idle VPS is cut, not switched: no cycle opportunity for it.
    const idle = candidates.flatMap((c) => (c.kind === "idle_vps" && c.vpsId !== null ? [c.vpsId] : []));
    const saving = (await cyclePlans(tx)).flatMap(({ groupKey, plan }) =>
      BILLING_CYCLES.flatMap((cycle) => {
        const judged = judgeCycle({ cycle, catalogue: true, plan }, undefined);
        byPlan.set(planKey(groupKey, cycle), judged);
        return judged.kind === "saving" ? [{ groupKey, cycle, plan }] : [];
      }),
    );
    return [candidates, await cycleCandidates(tx, idle, saving)] as const;
  });
  return { found, reconciliationRunId: read.runId, cycles: read.candidates, others: read.others, byPlan };
}

/**
 * The get_billingcycle_prices answers of the own-price VPS: those already read for this
 * reconciliation, and the others asked now (when Hostwinds is at hand) and recorded.
 */
async function ownPriceAnswers(deps: RefreshDeps, cycles: readonly CycleCandidate[], runId: string | null) {
  const answers = new Map<string, CycleAnswer>();
  if (!runId) return { answers, calls: 0 };
  for (const a of await cycleAnswers(deps.db, runId)) answers.set(a.serviceId, a);
  const missing = cycles.filter((c) => !c.catalogue && !answers.has(c.serviceId)).map((c) => c.serviceId);
  if (!deps.hostwinds || missing.length === 0) return { answers, calls: 0 };
  const asked = await askCyclePrices(deps.hostwinds, missing, deps.concurrency);
  await recordCycleAnswers(deps.db, runId, asked);
  for (const a of asked) answers.set(a.serviceId, a);
  return { answers, calls: asked.length };
}

/** A billing_cycle opportunity: the facts it rests on are the cycle and the prices compared. */
function cycleOpportunity(
  c: CycleCandidate,
  judged: CycleSaving & { source: string },
  runId: string | null,
  factsHashes: WeakMap<object, string>,
) {
  const facts = {
    cycle: judged.currentCycle,
    currentMonthly: formatCents(judged.currentMonthlyCents),
    targetCycle: judged.targetCycle,
    targetMonthly: formatCents(judged.targetMonthlyCents),
    upfront: formatCents(judged.upfrontCents),
    priceSource: judged.source,
  };
  const base: Candidate = {
    kind: "billing_cycle",
    vpsId: c.vpsId,
    ipId: null,
    serviceId: c.serviceId,
    ip: null,
    tenantId: c.tenantId,
    monthlySaving: formatCents(judged.monthlySavingCents),
    method: judged.method,
    evidence: { ...facts, since: null, modelledMonthly: c.monthlyCost, reconciliationRunId: runId },
    facts,
  };
  // The facts are the judged outcome's: hashed once per outcome (a catalogue plan and cycle), not per VPS.
  const hash = factsHashes.get(judged) ?? factsHash({ kind: base.kind, facts });
  factsHashes.set(judged, hash);
  const figures = { upfront: formatCents(judged.upfrontCents), breakEvenMonths: judged.breakEvenMonths };
  return recordedOf(base, { ...figures, factsHash: hash });
}
