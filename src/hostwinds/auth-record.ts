import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.js";
import type { HostwindsError } from "./errors.js";

/**
 * The last time Hostwinds refused the key, kept in Redis under the queue prefix so that every
 * worker, `status` and `/healthz` see it: when, on which host, for which action, and the
 * (key-free) message. A refusal is about the whole account, so one record is enough; it is
 * cleared by the next answer Hostwinds accepts from a worker that saw a refusal or has just
 * started (docs/hostwinds-client.md, "Authorization failures").
 */
export interface AuthFailure {
  at: Date;
  host: string;
  action: string;
  message: string;
}

/** The Redis key of the record. */
const authFailureKey = (prefix: string): string => `${prefix}:hostwinds:last-auth-failure`;

/** The last refusal not yet followed by an accepted answer, or null. */
export async function readLastAuthFailure(redis: Pick<Redis, "get">, prefix: string): Promise<AuthFailure | null> {
  const raw = await redis.get(authFailureKey(prefix));
  if (raw === null) return null;
  try {
    const r = JSON.parse(raw) as { at?: unknown; host?: unknown; action?: unknown; message?: unknown };
    const at = new Date(typeof r.at === "string" ? r.at : Number.NaN);
    if (Number.isNaN(at.getTime())) return null;
    const text = (v: unknown, missing: string) => (typeof v === "string" ? v : missing);
    return { at, host: text(r.host, "?"), action: text(r.action, "?"), message: text(r.message, "") };
  } catch {
    return null;
  }
}

/** One line for `status` and `/healthz`: "Hostwinds refused the key at …: …". */
export function describeAuthFailure(f: AuthFailure): string {
  return `Hostwinds refused the key at ${f.at.toISOString()} (host ${f.host}, ${f.action}): ${f.message}`;
}

/**
 * Fed every attempt's outcome by the client's onAttempt hook: records a refusal, clears the record
 * on an accepted answer. Writes are not awaited (a request never waits on them); a failed write is
 * logged, and the metrics still count the refusal.
 */
export class AuthFailureRecorder {
  readonly #redis: Pick<Redis, "set" | "del">;
  readonly #key: string;
  readonly #log: Logger | undefined;
  /** True at start and after a refusal: the next accepted answer clears the record. */
  #clearOnOk = true;

  constructor(redis: Pick<Redis, "set" | "del">, prefix: string, log?: Logger) {
    this.#redis = redis;
    this.#key = authFailureKey(prefix);
    this.#log = log;
  }

  attempt(action: string, outcome: string, error?: HostwindsError): void {
    if (outcome === "auth") {
      this.#clearOnOk = true;
      const record = { at: new Date().toISOString(), host: hostname(), action, message: error?.message ?? "" };
      this.#settle(this.#redis.set(this.#key, JSON.stringify(record)), "record");
    } else if (outcome === "ok" && this.#clearOnOk) {
      this.#clearOnOk = false;
      this.#settle(this.#redis.del(this.#key), "clear");
    }
  }

  #settle(write: Promise<unknown>, what: string): void {
    write.catch((err: unknown) => this.#log?.warn({ err }, `could not ${what} the last Hostwinds auth failure`));
  }
}
