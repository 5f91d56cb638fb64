import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/** A capped list and how many there are in all. */
export interface Page<T> {
  total: number;
  shown: T[];
}

/** One change of a modelled cost, as `history` shows it. */
export interface HistoryEntry {
  id: string;
  changedAt: Date;
  oldValue: string | null;
  newValue: string;
  source: string;
  reason: string;
  jobId: string;
  /** Who made it, when known (the operator of a CLI change). */
  changedBy: string | null;
}

/** A change beyond both anomaly thresholds. */
export interface Anomaly {
  id: string;
  detectedAt: Date;
  runId: string | null;
  kind: string;
  resourceId: string;
  serviceid: string | null;
  oldValue: string | null;
  newValue: string;
  changeUsd: string;
  changePct: string | null;
}

const HISTORY = statement<{ kind: string; id: string; limit: number }, HistoryEntry & { total: number }>(
  "provenance/history",
);
const ANOMALIES = statement<{ since: string | null; runId: string | null; limit: number }, Anomaly & { total: number }>(
  "provenance/anomalies",
);
const RUN_EXISTS = statement<{ runId: string }, { found: boolean }>("provenance/run-exists");

const page = <T extends { total: number }>(rows: T[]): Page<Omit<T, "total">> => ({
  total: rows[0]?.total ?? 0,
  shown: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "total")) as Omit<T, "total">),
});

/** A VPS's or an IP's cost history, newest first: the first `limit` changes and how many in all. */
export async function costHistory(
  db: SqlRunner,
  o: { kind: "vps" | "ip"; id: string; limit: number },
): Promise<Page<HistoryEntry>> {
  return page(await query(db, HISTORY, o));
}

/** Anomalies, newest first, since a UTC date (YYYY-MM-DD) and of one run when given. */
export async function listAnomalies(
  db: SqlRunner,
  o: { since: string | null; runId: string | null; limit: number },
): Promise<Page<Anomaly>> {
  return page(await query(db, ANOMALIES, o));
}

export async function runExists(db: SqlRunner, runId: string): Promise<boolean> {
  return (await query(db, RUN_EXISTS, { runId }))[0]?.found === true;
}
