import type pg from "pg";
import { relayPendingEvents, type PendingEvent } from "../db/writes/events.js";
import type { CostSyncProducer } from "../jobs/producer.js";
import type { Logger } from "../logger.js";
import { NotificationListener } from "./listener.js";

export interface RelayOptions {
  databaseUrl: string;
  /** The process's pg pool (one connection at a time is taken for a relay pass). */
  pool: pg.Pool;
  producer: Pick<CostSyncProducer, "enqueueVpsCostSync" | "enqueueIpCostSync" | "enqueueAttributionRefresh">;
  log: Logger;
  /** Delay that gathers a burst of view-affecting changes into one refresh. */
  viewsRefreshDelayMs?: number;
  /** Safety sweep for events whose NOTIFY was missed (worker down, connection lost). */
  sweepIntervalMs?: number;
  batchSize?: number;
  /** Reconnection backoff of the LISTEN connection (tests shorten it). */
  listenBackoff?: { minMs: number; maxMs: number };
}

/**
 * Moves pending rows of cost_sync_events (written by triggers in the same transaction as the
 * change) into BullMQ, then marks them relayed. Enqueue happens before the mark commits: a crash in
 * between re-enqueues, which the jobs' deduplication and idempotence absorb. Nothing is lost.
 */
export class EventRelay {
  readonly #o: Required<Omit<RelayOptions, "listenBackoff">>;
  readonly #listener: NotificationListener;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;

  constructor(o: RelayOptions) {
    // Field by field: an explicit `undefined` must not replace a default (setInterval(fn, undefined) spins).
    this.#o = {
      ...o,
      sweepIntervalMs: o.sweepIntervalMs ?? 5000,
      batchSize: o.batchSize ?? 500,
      viewsRefreshDelayMs: o.viewsRefreshDelayMs ?? 1000,
    };
    this.#listener = new NotificationListener({
      databaseUrl: o.databaseUrl,
      channel: "cost_sync_events",
      onNotify: () => this.poke(),
      log: o.log,
      backoff: o.listenBackoff,
    });
  }

  async start(): Promise<void> {
    await this.#listener.start();
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
      .catch((err: unknown) => this.#o.log.warn({ err }, "event relay pass failed; the sweep will retry"))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  async #drain(): Promise<void> {
    for (;;) {
      const relayed = await this.#relayBatch();
      if (relayed < this.#o.batchSize) return;
    }
  }

  async #relayBatch(): Promise<number> {
    const relayed = await relayPendingEvents(this.#o.pool, this.#o.batchSize, (events) => this.#enqueue(events));
    if (relayed) this.#o.log.debug({ events: relayed }, "events relayed");
    return relayed;
  }

  async #enqueue(events: readonly PendingEvent[]): Promise<void> {
    let views: string | undefined;
    for (const e of events) {
      if (e.resource_kind === "vps" && e.resource_id)
        await this.#o.producer.enqueueVpsCostSync(e.resource_id, { reason: e.reason });
      else if (e.resource_kind === "ip" && e.resource_id)
        await this.#o.producer.enqueueIpCostSync(e.resource_id, { reason: e.reason });
      else views = e.reason;
    }
    if (views)
      await this.#o.producer.enqueueAttributionRefresh({ reason: views, delayMs: this.#o.viewsRefreshDelayMs });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
    await this.#listener.close();
  }
}
