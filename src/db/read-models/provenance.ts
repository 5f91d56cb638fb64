import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";
import type { CappedList } from "../../capped-list.js";

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
  /** NULL for a `catalogue price change`: it is about a plan (see `detail`), not one resource. */
  resourceId: string | null;
  serviceid: string | null;
  oldValue: string | null;
  newValue: string;
  changeUsd: string;
  changePct: string | null;
  /** For a `catalogue price change`: the plan, cycle, exact prices, VPS on it and whether a member confirmed it. */
  detail: string | null;
  /** open, acknowledged or resolved. */
  state: AnomalyState;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  /** The acknowledgement's note. */
  note: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

/** Where an anomaly stands: nobody has looked, someone has, it was dealt with. */
export type AnomalyState = "open" | "acknowledged" | "resolved";
/** The states, in lifecycle order. */
export const ANOMALY_STATES: readonly AnomalyState[] = ["open", "acknowledged", "resolved"];

const HISTORY = statement<{ kind: string; id: string; limit: number }, HistoryEntry & { total: number }>(
  "provenance/history",
);
/** Which anomalies to list: since a UTC date, of one run, in some states (all when null). */
export interface AnomalyFilter {
  since: string | null;
  runId: string | null;
  states: readonly AnomalyState[] | null;
  limit: number;
}

const ANOMALIES = statement<
  { since: string | null; runId: string | null; states: string[] | null; limit: number },
  Anomaly & { total: number }
>("provenance/anomalies");
const RUN_EXISTS = statement<{ runId: string }, { found: boolean }>("provenance/run-exists");

const page = <T extends { total: number }>(rows: T[]): CappedList<Omit<T, "total">> => ({
  total: rows[0]?.total ?? 0,
  shown: rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "total")) as Omit<T, "total">),
});

/** A VPS's or an IP's cost history, newest first: the first `limit` changes and how many in all. */
export async function costHistory(
  db: SqlRunner,
  o: { kind: "vps" | "ip"; id: string; limit: number },
): Promise<CappedList<HistoryEntry>> {
  return page(await query(db, HISTORY, o));
}

/** Anomalies, newest first, since a UTC date (YYYY-MM-DD), of one run and in the states given. */
export async function listAnomalies(db: SqlRunner, o: AnomalyFilter): Promise<CappedList<Anomaly>> {
  return page(await query(db, ANOMALIES, { ...o, states: o.states === null ? null : [...o.states] }));
}

export async function runExists(db: SqlRunner, runId: string): Promise<boolean> {
  return (await query(db, RUN_EXISTS, { runId }))[0]?.found === true;
}
