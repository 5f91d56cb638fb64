import type pg from "pg";
import { query, pgTransaction, statement, type PgQueryable, type NoParams } from "../sql.js";

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
  return await query(tx, CLAIM_PENDING, { limit });
}

export async function markEventsRelayed(tx: PgQueryable, ids: string[]): Promise<void> {
  if (ids.length) await query(tx, MARK_RELAYED, { ids });
}

export async function countPendingEvents(pg: PgQueryable): Promise<number> {
  return (await query(pg, COUNT_PENDING, {}))[0]?.n ?? 0;
}

/**
 * One relay pass over the outbox, in one transaction on a connection of `pool`: claims up to
 * `limit` pending events, hands them to `relay` (which enqueues them), then marks them relayed.
 * The mark commits only after `relay` returned, so a crash in between relays them again.
 */
export async function relayPendingEvents(
  pool: pg.Pool,
  limit: number,
  relay: (events: readonly PendingEvent[]) => Promise<void>,
): Promise<number> {
  const client = await pool.connect();
  try {
    return await pgTransaction(client, async (tx) => {
      const events = await claimPendingEvents(tx, limit);
      await relay(events);
      await markEventsRelayed(
        tx,
        events.map((e) => e.id),
      );
      return events.length;
    });
  } finally {
    client.release();
  }
}

/** Asks for the outbox's notifications on a dedicated connection (the relay's LISTEN). */
export async function listenForEvents(client: PgQueryable, channel: "cost_sync_events"): Promise<void> {
  await client.query(`LISTEN ${channel}`);
}
