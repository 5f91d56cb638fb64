import type { Queue } from "bullmq";
import type { SqlRunner } from "../db/client.js";
import { readStatusFigures } from "../db/read-models/status.js";
import { QUEUE_STATES, type StatusSnapshot } from "./status-snapshot.js";

/**
 * Reads what the status gauges show: the queue's job counts from Redis, and from PostgreSQL the status
 * read model `status` shows too (unpriced VPS, anomalies, freshness, untracked spend and ghost rows,
 * budgets, the price watch and the business figures), so that the last-reconciliation gauge is right
 * after a restart, not 0.
 */
export function statusReader(queue: Queue, db: SqlRunner): () => Promise<StatusSnapshot> {
  return async () => {
    const [counts, figures] = await Promise.all([queue.getJobCounts(...QUEUE_STATES), readStatusFigures(db)]);
    return { queue: counts, failedJobs: counts.failed ?? 0, ...figures };
  };
}
