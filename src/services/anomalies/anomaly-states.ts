import type { Db } from "../../db/client.js";
import { pgTransaction } from "../../db/sql.js";
import {
  applyTransition,
  lockAnomalies,
  type AnomalyTarget,
  type AnomalyTransition,
} from "../../db/writes/anomaly-states.js";
import type { AnomalyState } from "../../db/read-models/provenance.js";
import { InputError } from "../errors.js";

export type { AnomalyTarget, AnomalyTransition } from "../../db/writes/anomaly-states.js";

/** What a state change did: the ids it moved, and those named by id that were already past it. */
export interface TransitionResult {
  transition: AnomalyTransition;
  /** The state the changed anomalies are now in. */
  state: AnomalyState;
  changed: string[];
  /** Named by id but in a state this change does not move from (already acknowledged, resolved...). */
  unchanged: { id: string; state: AnomalyState }[];
}

const TARGET_STATE: Record<AnomalyTransition, AnomalyState> = {
  ack: "acknowledged",
  resolve: "resolved",
  reopen: "open",
};

/**
 * Acknowledges, resolves or reopens anomalies, by id or all those detected before an instant. Ids
 * that name no anomaly are an InputError and nothing is written; by id, the rows are locked first,
 * and each change re-checks the state it moves from in its own statement, so two people acting at
 * once never undo each other (the second finds it already moved and is told so).
 */
export async function changeAnomalyState(
  db: Db,
  transition: AnomalyTransition,
  o: { target: AnomalyTarget; by: string; note: string | null },
): Promise<TransitionResult> {
  const state = TARGET_STATE[transition];
  if (!("ids" in o.target)) {
    const changed = await applyTransition(db, transition, o);
    return { transition, state, changed, unchanged: [] };
  }
  const ids = [...new Set(o.target.ids)];
  return pgTransaction(db, async (tx) => {
    const found = await lockAnomalies(tx, ids);
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length)
      throw new InputError(`no anomaly with id ${missing.join(", ")} (\`cost-sync anomalies --state all\` lists them)`);
    const changed = await applyTransition(tx, transition, { ...o, target: { ids } });
    const unchanged = found.filter((f) => !changed.includes(f.id));
    return { transition, state, changed, unchanged };
  });
}
