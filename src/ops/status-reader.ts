import type { Queue } from "bullmq";
import type { SqlRunner } from "../db/client.js";
import { businessFigures, statusFigures } from "../db/read-models/status.js";
import { QUEUE_STATES } from "./status-snapshot.js";
import type { StatusSnapshot } from "./status-snapshot.js";

/**
 * Reads what the status gauges show, from Redis (queue counts) and PostgreSQL (unpriced VPS,
 * anomalies, freshness, untracked spend and ghost rows, and the business figures) — so that the last-reconciliation gauge is right after a restart, not 0.
 */
export function statusReader(queue: Queue, db: SqlRunner): () => Promise<StatusSnapshot> {
  return async () => {
    const [counts, figures, business] = await Promise.all([
      queue.getJobCounts(...QUEUE_STATES),
      statusFigures(db),
      businessFigures(db),
    ]);
    return {
      queue: counts,
      failedJobs: counts.failed ?? 0,
      unpricedVps: figures.unpricedVps,
      openAnomalies: figures.openAnomalies,
      attributionRefreshedAt: figures.attributionRefreshedAt,
      lastSuccessfulReconciliationAt: figures.lastReconciliationAt,
      untracked:
        figures.untrackedInstances === null || figures.untrackedMonthlyUsd === null
          ? null
          : { instances: figures.untrackedInstances, monthlyUsd: figures.untrackedMonthlyUsd },
      ghostRows: figures.ghostRows,
      budgets: { ok: figures.budgetsOk, at_risk: figures.budgetsAtRisk, over: figures.budgetsOver },
      priceWatch:
        figures.lastPriceWatchAt === null
          ? null
          : { lastAt: figures.lastPriceWatchAt, changes: figures.priceWatchChanges ?? 0 },
      business,
    };
  };
}
