import type { SqlRunner } from "../client.js";
import { query, statement, type NoParams } from "../sql.js";

export interface WatchRunRow {
  runId: string;
  status: "running" | "completed" | "failed";
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  baseline: boolean;
  prices: number | null;
  changes: number | null;
  calls: number;
  error: string | null;
  lastCompletedAt: Date | null;
}

export interface ChangeRow {
  rid: string;
  cycle: string;
  oldPrice: string;
  newPrice: string;
  vpsOnPlan: number;
  confirmed: boolean | null;
  verifiedServiceid: string | null;
  verifiedNote: string | null;
}

const LATEST = statement<NoParams, WatchRunRow>("price-watch/latest");
const CHANGES = statement<{ runId: string }, ChangeRow>("price-watch/changes");

/** The latest price watch run, with its changes (for `status`, `prices watch` and the gauges). */
export async function latestPriceWatch(db: SqlRunner): Promise<{ run: WatchRunRow; changes: ChangeRow[] } | null> {
  const [run] = await query(db, LATEST, {});
  if (!run) return null;
  return { run, changes: await query(db, CHANGES, { runId: run.runId }) };
}
