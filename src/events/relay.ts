import pg from "pg";
import type { Logger } from "../logger.js";
import type { CostSyncProducer } from "../jobs/producer.js";

export interface RelayOptions {
  databaseUrl: string;
  producer: CostSyncProducer;
  log: Logger;
  /** Delay that gathers a burst of view-affecting changes into one refresh. */
  viewsRefreshDelayMs?: number;
  /** Safety sweep for events whose NOTIFY was missed (worker down, connection lost). */
  sweepIntervalMs?: number;
  batchSize?: number;
}

/**
 * Moves pending rows of cost_sync_events (written by triggers in the same
 * transaction as the change) into BullMQ, then marks them relayed. Enqueue
 * happens before the mark commits: a crash in between re-enqueues, which the
 * jobs' deduplication and idempotence absorb. Nothing is ever lost.
 */
export class EventRelay {
  readonly #o: Required<RelayOptions>;
  #listener: pg.Client | undefined;
  #pool: pg.Pool;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;

  constructor(o: RelayOptions) {
    // Field by field: an explicit `undefined` must not replace a default (setInterval(fn, undefined) spins).
    this.#o = { ...o, sweepIntervalMs: o.sweepIntervalMs ?? 5000, batchSize: o.batchSize ?? 500, viewsRefreshDelayMs: o.viewsRefreshDelayMs ?? 1000 };
    this.#pool = new pg.Pool({ connectionString: o.databaseUrl, max: 1 });
    this.#pool.on("error", (err) => this.#o.log.warn({ err }, "relay pool error"));
  }

  async start(): Promise<void> {
    await this.#listen();
    this.#timer = setInterval(() => this.poke(), this.#o.sweepIntervalMs);
    this.poke();
  }

  /** Relays now; coalesces overlapping calls into one more pass. */
  poke(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((err) => this.#o.log.warn({ err }, "event relay pass failed; the sweep will retry"))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#o.databaseUrl });
    client.on("notification", () => this.poke());
    client.on("error", (err) => {
      this.#o.log.warn({ err }, "relay LISTEN connection lost; reconnecting");
      this.#listener = undefined;
      if (!this.#closed) setTimeout(() => void this.#listen().catch(() => {}), 1000);
    });
    await client.connect();
    await client.query("LISTEN cost_sync_events");
    this.#listener = client;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const relayed = await this.#relayBatch();
      if (relayed < this.#o.batchSize) return;
    }
  }

  async #relayBatch(): Promise<number> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ id: string; resource_kind: "vps" | "ip" | "views"; resource_id: string; reason: string }>(
        `SELECT id, resource_kind, resource_id::text, reason FROM cost_sync_events
          WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.#o.batchSize],
      );
      let views: string | undefined;
      for (const e of rows) {
        if (e.resource_kind === "vps") await this.#o.producer.enqueueVpsCostSync(e.resource_id, { reason: e.reason });
        else if (e.resource_kind === "ip") await this.#o.producer.enqueueIpCostSync(e.resource_id, { reason: e.reason });
        else views = e.reason;
      }
      if (views) await this.#o.producer.enqueueAttributionRefresh({ reason: views, delayMs: this.#o.viewsRefreshDelayMs });
      if (rows.length) await client.query(`UPDATE cost_sync_events SET relayed_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      await client.query("COMMIT");
      if (rows.length) this.#o.log.debug({ events: rows.length }, "events relayed");
      return rows.length;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
    await this.#listener?.end().catch(() => {});
    await this.#pool.end();
  }
}
