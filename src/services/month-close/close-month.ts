import type { SqlRunner } from "../../db/client.js";
import {
  closeInForce,
  closeMonth,
  firstHistoryMonth,
  type CloseOutcome,
  type CloseRequest,
} from "../../db/month-close.js";
import { InputError } from "../errors.js";

/**
 * The month close use case (docs/month-close.md), the same for the CLI and the scheduled
 * reconciliation: a close freezes the month's own figures, rebuilt from cost_history as of its last
 * instant, so a month cost-sync has no history for cannot be closed (its figures would be today's
 * costs written into a past it never saw).
 */

/** Refuses, as `InputError`, a month before the first month cost-sync has any history for. */
export async function checkClosable(db: SqlRunner, month: string): Promise<void> {
  const first = await firstHistoryMonth(db);
  if (first === undefined)
    throw new InputError(`${month} cannot be closed: cost-sync has no history yet (no cost change, no reconciliation)`);
  // `YYYY-MM` text compares as months do, and no date is built from a year PostgreSQL refuses.
  if (month < first)
    throw new InputError(
      `${month} cannot be closed: it is before ${first}, the first month cost-sync has any history for, ` +
        "so there are no figures of that month to freeze",
    );
}

/** Closes a month once from its history; a month already closed is left as it is. */
export async function closeMonthFromHistory(db: SqlRunner, r: CloseRequest): Promise<CloseOutcome> {
  await checkClosable(db, r.month);
  const existing = await closeInForce(db, r.month);
  if (existing) return { outcome: "already closed", close: existing };
  // The statement re-checks, so a close made between this read and it is left alone too.
  return closeMonth(db, r);
}
