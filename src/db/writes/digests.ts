import type { SqlRunner } from "../client.js";
import { execute, query, statement, type NoParams } from "../sql.js";

/** The digests taken (cost_digests): when the last one was, and recording one once it is posted. */

const LAST_TAKEN = statement<NoParams, { takenAt: Date }>("digest/last-taken");
const RECORD = statement<{ takenAt: string; periodStart: string; trigger: string; fleetCost: string }>("digest/record");

/** When the latest digest was taken; null before the first. */
export async function lastDigestAt(db: SqlRunner): Promise<Date | null> {
  return (await query(db, LAST_TAKEN, {}))[0]?.takenAt ?? null;
}

/** Records a digest that was posted. */
export async function recordDigest(
  db: SqlRunner,
  d: { takenAt: Date; periodStart: Date; trigger: "schedule" | "manual"; fleetCost: string },
): Promise<void> {
  await execute(db, RECORD, {
    takenAt: d.takenAt.toISOString(),
    periodStart: d.periodStart.toISOString(),
    trigger: d.trigger,
    fleetCost: d.fleetCost,
  });
}
