import { pgQuery, statement, type PgQueryable, type NoParams } from "../sql.js";

/** A pending row of the cost_sync_events outbox, written by triggers in the changing transaction. */
export interface PendingEvent {
  id: string;
  resource_kind: "vps" | "ip" | "views";
  resource_id: string | null;
  reason: string;
}

const CLAIM_PENDING = statement<{ limit: number }, PendingEvent>("events/claim-pending");
const MARK_RELAYED = statement<{ ids: string[] }>("events/mark-relayed");
const COUNT_PENDING = statement<NoParams, { n: number }>("events/count-pending");

/** Locks up to `limit` pending events for this transaction (another relay skips them). */
export async function claimPendingEvents(tx: PgQueryable, limit: number): Promise<PendingEvent[]> {
  return (await pgQuery(tx, CLAIM_PENDING, { limit })).rows;
}

export async function markEventsRelayed(tx: PgQueryable, ids: string[]): Promise<void> {
  if (ids.length) await pgQuery(tx, MARK_RELAYED, { ids });
}

export async function countPendingEvents(pg: PgQueryable): Promise<number> {
  return (await pgQuery(pg, COUNT_PENDING, {})).rows[0]?.n ?? 0;
}
