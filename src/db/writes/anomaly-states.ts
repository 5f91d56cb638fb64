import type { SqlRunner } from "../client.js";
import type { AnomalyState } from "../read-models/provenance.js";
import { query, statement, type Statement } from "../sql.js";

/** What a state change applies to: anomalies by id, or every one detected before an instant. */
export type AnomalyTarget = { ids: string[] } | { before: Date };

/** The state changes, each one statement that re-checks the state it moves from. */
export type AnomalyTransition = "ack" | "resolve" | "reopen";

type TransitionParams = { ids: string[] | null; before: Date | null; by: string; note: string | null };

const LOCK = statement<{ ids: string[] }, { id: string; state: AnomalyState }>("anomalies/lock");
const TRANSITIONS: Record<AnomalyTransition, Statement<TransitionParams, { id: string }>> = {
  ack: statement("anomalies/ack"),
  resolve: statement("anomalies/resolve"),
  reopen: statement("anomalies/reopen"),
};

/** Locks the anomalies with these ids (in the caller's transaction) and returns those that exist. */
export function lockAnomalies(db: SqlRunner, ids: string[]): Promise<{ id: string; state: AnomalyState }[]> {
  return query(db, LOCK, { ids });
}

/** Applies one transition; returns the ids it changed (those in a state it moves from). */
export async function applyTransition(
  db: SqlRunner,
  t: AnomalyTransition,
  o: { target: AnomalyTarget; by: string; note: string | null },
): Promise<string[]> {
  const ids = "ids" in o.target ? o.target.ids : null;
  const before = "before" in o.target ? o.target.before : null;
  const rows = await query(db, TRANSITIONS[t], { ids, before, by: o.by, note: o.note });
  return rows.map((r) => r.id);
}
