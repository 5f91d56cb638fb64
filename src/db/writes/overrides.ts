import { formatCents } from "../../money.js";
import type { SqlRunner } from "../client.js";
import {
  historyParams,
  toChanges,
  type ChangeRow,
  type CostChange,
  type CostKind,
  type HistoryParams,
  type WriteContext,
} from "./cost-writes.js";
import { query, statement } from "../sql.js";

type SetOverrideParams = HistoryParams & { id: string; value: string | null };

/** One statement per table (`overrides/set-*.sql`); their history is recorded with source "override" whether it was set or cleared. */
const SET_OVERRIDE = {
  vps: statement<SetOverrideParams, ChangeRow>("overrides/set-vps"),
  ip: statement<SetOverrideParams, ChangeRow>("overrides/set-ip"),
} as const;

export interface OverrideChange {
  kind: CostKind;
  id: string;
  /** The override in cents, or null to clear it. */
  cents: bigint | null;
  write: WriteContext;
}

/**
 * Sets or clears a Finance override. Setting it applies it to the cost at once; clearing it
 * leaves the cost for the caller to reprice. Returns no change when the row does not exist.
 */
export async function setOverride(db: SqlRunner, o: OverrideChange): Promise<CostChange[]> {
  const rows = await query(db, SET_OVERRIDE[o.kind], {
    id: o.id,
    value: o.cents === null ? null : formatCents(o.cents),
    ...historyParams(o.kind, o.write),
  });
  return toChanges(rows);
}
