import type pg from "pg";
import { listenForEvents } from "../db/writes/events.js";
import { openPgClient } from "../infrastructure.js";
import type { Logger } from "../logger.js";
import { Resources } from "../resources.js";

export interface ListenerOptions {
  databaseUrl: string;
  channel: "cost_sync_events";
  /** Called on every notification, and after each reconnection (notifications may have been missed). */
  onNotify: () => void;
  log: Logger;
  /** Backoff between reconnection attempts: doubles from `minMs` up to `maxMs`. */
  backoff?: { minMs: number; maxMs: number };
}

/**
 * One LISTEN connection that survives being terminated: exactly one reconnection is scheduled
 * per loss, whatever the driver emits (pg emits `error` and `end`, sometimes more than once, for
 * one termination), and events from a connection already given up are ignored. So a server that
 * keeps killing the connection never sees more than one LISTEN backend of ours.
 */
export class NotificationListener {
  readonly #o: ListenerOptions & { backoff: { minMs: number; maxMs: number } };
  #current: { client: pg.Client; res: Resources } | undefined;
  #retry: NodeJS.Timeout | undefined;
  #delayMs: number;
  #closed = false;

  constructor(o: ListenerOptions) {
    this.#o = { ...o, backoff: o.backoff ?? { minMs: 1000, maxMs: 30_000 } };
    this.#delayMs = this.#o.backoff.minMs;
  }

  /** Connects and listens; rejects if the first connection fails (the caller decides). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const res = new Resources();
    const client = await openPgClient(res, this.#o.databaseUrl);
    const current = { client, res };
    client.on("notification", () => this.#o.onNotify());
    client.on("error", (err) => this.#lost(current, err));
    client.on("end", () => this.#lost(current, undefined));
    try {
      await listenForEvents(client, this.#o.channel);
    } catch (err) {
      await res.close();
      throw err;
    }
    if (this.#closed) {
      await res.close();
      return;
    }
    this.#current = current;
    this.#delayMs = this.#o.backoff.minMs;
  }

  #lost(which: { client: pg.Client; res: Resources }, err: unknown): void {
    if (this.#current !== which) return; // a connection already given up: its late events change nothing
    this.#current = undefined;
    void which.res.close();
    if (this.#closed) return;
    this.#o.log.warn({ err, retryInMs: this.#delayMs }, "LISTEN connection lost; reconnecting");
    this.#schedule();
  }

  #schedule(): void {
    if (this.#retry || this.#closed) return;
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, this.#o.backoff.maxMs);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#connect().then(
        () => this.#o.onNotify(),
        (err: unknown) => {
          this.#o.log.warn({ err, retryInMs: this.#delayMs }, "LISTEN reconnection failed; retrying");
          this.#schedule();
        },
      );
    }, delay);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const current = this.#current;
    this.#current = undefined;
    await current?.res.close();
  }
}
