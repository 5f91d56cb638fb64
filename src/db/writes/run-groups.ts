import type { PriceOption } from "../../hostwinds/schemas.js";
import type { SqlRunner } from "../client.js";
import { execute, query, statement } from "../sql.js";
import type { CappedList } from "../../capped-list.js";

/** How one group of instances on one plan is priced during a run. */
export interface GroupPlan {
  key: string;
  mode: "catalogue" | "per-instance";
  /** The plan's rid, when it was learned. */
  rid: string | null;
  members: number;
  sampled: number;
  /** Why the group is priced per instance (a disagreement, a plan not in the catalogue, ...). */
  reason: string | null;
  /** The plan catalogue-mode members are priced from. */
  plan: PriceOption | null;
}

/** A member whose own price disagreed with its group's catalogue price (as text: "9.99", or "unpriceable: …"). */
export interface CatalogueMismatch {
  groupKey: string;
  serviceid: string;
  catalogue: string;
  instance: string;
}

const RECORD = statement<{ runId: string; groups: string }>("groups/record");
const RECORD_MISMATCHES = statement<{ runId: string; mismatches: string }>("groups/record-mismatches");
const LOAD = statement<{ runId: string }, GroupPlan>("groups/load");
const MISMATCHES = statement<{ runId: string; limit: number }, CatalogueMismatch & { total: number }>(
  "groups/mismatches",
);

/** Records a run's planned groups and mismatches; a resumed run keeps the ones it recorded first. */
export async function recordGroups(
  db: SqlRunner,
  runId: string,
  o: { groups: readonly GroupPlan[]; mismatches: readonly CatalogueMismatch[] },
): Promise<void> {
  await execute(db, RECORD, { runId, groups: JSON.stringify(o.groups) });
  await execute(db, RECORD_MISMATCHES, { runId, mismatches: JSON.stringify(o.mismatches) });
}

/** The groups a run planned before it was interrupted (empty for a new run). */
export function loadGroups(db: SqlRunner, runId: string): Promise<GroupPlan[]> {
  return query(db, LOAD, { runId });
}

/** A run's catalogue mismatches: the first `limit`, and the total. */
export async function runMismatches(
  db: SqlRunner,
  runId: string,
  limit: number,
): Promise<CappedList<CatalogueMismatch>> {
  const rows = await query(db, MISMATCHES, { runId, limit });
  const shown = rows.map((r) => ({
    groupKey: r.groupKey,
    serviceid: r.serviceid,
    catalogue: r.catalogue,
    instance: r.instance,
  }));
  return { total: rows[0]?.total ?? 0, shown };
}
