import type { CappedList } from "../capped-list.js";
import type { SqlRunner } from "../db/client.js";
import { budgetsAtRisk, type BudgetAtRisk } from "../db/read-models/budgets.js";
import { latestPriceWatch } from "../db/read-models/price-watch.js";
import {
  duplicateServiceIds,
  listUnpricedVps,
  readStatusFigures,
  type DuplicateServiceId,
  type UnpricedVps,
} from "../db/read-models/status.js";
import { runMismatches, type CatalogueMismatch } from "../db/writes/run-groups.js";
import { latestRun, type RunSummary } from "../db/writes/runs.js";
import { getIpConstantCents, getLastReconciliation } from "../db/writes/settings.js";
import {
  latestUntracked,
  runGhosts,
  runUntracked,
  type GhostRow,
  type LatestUntracked,
  type UntrackedInstance,
} from "../db/writes/untracked.js";
import { formatCents } from "../money.js";

export type { LatestUntracked };

/** Untracked spend and ghost rows of the latest completed reconciliation that checked (docs/untracked.md). */
export interface UntrackedStatus extends LatestUntracked {
  /** Its untracked instances, the costliest first. */
  list: CappedList<UntrackedInstance>;
  /** Its ghost rows; null when it could not check. */
  ghosts: CappedList<GhostRow> | null;
}

/** What `status` reads from PostgreSQL, in the shape `status --json` prints. */
export interface DatabaseStatus {
  ipConstantUsd: string | null;
  lastSuccessfulReconciliation: { completedAt: Date; runId: string; ageHours: number } | null;
  latestRun: RunSummary | null;
  attributionRefreshedAt: Date | null;
  unpriced: CappedList<UnpricedVps> | null;
  duplicateServiceIds: CappedList<DuplicateServiceId> | null;
  /** Members of the latest run whose own price disagreed with their group's catalogue price. */
  catalogueMismatches: CappedList<CatalogueMismatch> | null;
  /** Untracked spend and ghost rows of the latest completed run that checked (null: none has, or unreadable). */
  untracked: UntrackedStatus | null;
  /** Budgets at risk or over this month (docs/forecast.md); null when unreadable. */
  budgetsAtRisk: CappedList<BudgetAtRisk> | null;
  /** The latest price watch and the catalogue price changes it found (null: never ran, or unreadable). */
  priceWatch: Awaited<ReturnType<typeof latestPriceWatch>>;
}

/**
 * The database's part of `status`: each list its first `limit` rows with its total. An IP constant
 * that cannot be read is shown as INVALID with `describeError`'s words; any other failure throws.
 */
export async function readDatabaseStatus(
  db: SqlRunner,
  o: { limit: number; describeError: (e: unknown) => string },
): Promise<DatabaseStatus> {
  const { limit } = o;
  // The status read model, the one the status gauges show (/metrics).
  const figures = await readStatusFigures(db);
  const last = await getLastReconciliation(db);
  const ageHours = (at: Date) => Number(((Date.now() - at.getTime()) / 3_600_000).toFixed(1));
  const run = (await latestRun(db)) ?? null;
  return {
    ipConstantUsd: await getIpConstantCents(db).then(formatCents, (e: unknown) => `INVALID: ${o.describeError(e)}`),
    lastSuccessfulReconciliation: last ? { ...last, ageHours: ageHours(last.completedAt) } : null,
    latestRun: run,
    attributionRefreshedAt: figures.attributionRefreshedAt,
    unpriced: { total: figures.unpricedVps, shown: await listUnpricedVps(db, limit) },
    duplicateServiceIds: await duplicateServiceIds(db, limit),
    catalogueMismatches: run ? await runMismatches(db, run.id, limit) : { total: 0, shown: [] },
    untracked: await readUntrackedStatus(db, limit),
    budgetsAtRisk: await budgetsAtRisk(db, limit),
    priceWatch: await latestPriceWatch(db),
  };
}

/** The latest run that checked, with its first `limit` instances and ghosts; null when no run has. */
async function readUntrackedStatus(db: SqlRunner, limit: number): Promise<UntrackedStatus | null> {
  const latest = await latestUntracked(db);
  if (!latest) return null;
  const list = await runUntracked(db, latest.runId, limit);
  const ghosts = latest.ghostRows === null ? null : await runGhosts(db, latest.runId, limit);
  return { ...latest, list, ghosts };
}
