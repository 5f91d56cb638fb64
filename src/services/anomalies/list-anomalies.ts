import type { SqlRunner } from "../../db/client.js";
import {
  ANOMALY_STATES,
  listAnomalies as readAnomalies,
  runExists,
  type Anomaly,
  type AnomalyFilter,
  type AnomalyState,
} from "../../db/read-models/provenance.js";
import type { CappedList } from "../../capped-list.js";
import { InputError } from "../errors.js";

export { ANOMALY_STATES, type Anomaly, type AnomalyFilter, type AnomalyState };

/** Anomalies newest first, as the filter says; a run id that names no run is an InputError. */
export async function listAnomalies(db: SqlRunner, filter: AnomalyFilter): Promise<CappedList<Anomaly>> {
  if (filter.runId !== null && !(await runExists(db, filter.runId)))
    throw new InputError(`no reconciliation run with id ${filter.runId}`);
  return readAnomalies(db, filter);
}
