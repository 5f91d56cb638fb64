import { setTimeout as sleep } from "node:timers/promises";
import { request, type Dispatcher } from "undici";
import type { z } from "zod";
import type { Logger } from "../logger.js";
import { isReadOnlyAction, type ReadOnlyAction } from "./actions.js";
import { hostwindsError, HostwindsError } from "./errors.js";
import { ListCollector } from "./json-list.js";
import type { RateGate } from "./rate-gate.js";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from "./retry.js";
import {
  billingCyclePricesSchema,
  instanceSchema,
  instancesSchema,
  listedInstanceSchema,
  priceListSchema,
  resultArraySchema,
  upgradeOrderSchema,
} from "./schemas.js";

export interface HostwindsClientOptions {
  url: string;
  apiKey: string | undefined;
  /** A keep-alive undici Agent (or MockAgent in unit tests), owned by the caller. */
  dispatcher: Dispatcher;
  /** Overall deadline of one attempt, connect to last body byte. */
  timeoutMs?: number;
  /** Deadline for response headers and between body chunks. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Shared request budget (all workers); none means unlimited. */
  gate?: RateGate;
  /** Called once per attempt with its outcome, for metrics. */
  onAttempt?: (action: string, outcome: string) => void;
}

type Params = Record<string, string | number | undefined>;

/**
 * The only code that speaks HTTP to Hostwinds. Read-only by construction
 * (allow-list checked before anything is sent). The key lives in a private
 * field and goes only into the request body.
 */
export class HostwindsClient {
  readonly #apiKey: string | undefined;
  readonly #url: string;
  readonly #dispatcher: Dispatcher;
  readonly #timeoutMs: number;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #log: Logger | undefined;
  readonly #onAttempt: HostwindsClientOptions["onAttempt"];
  readonly #gate: RateGate | undefined;

  constructor(opts: HostwindsClientOptions) {
    this.#apiKey = opts.apiKey;
    this.#url = opts.url;
    this.#dispatcher = opts.dispatcher;
    this.#timeoutMs = opts.timeoutMs ?? 15_000;
    this.#headersTimeoutMs = opts.headersTimeoutMs ?? this.#timeoutMs;
    this.#bodyTimeoutMs = opts.bodyTimeoutMs ?? this.#timeoutMs;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.#log = opts.logger;
    this.#onAttempt = opts.onAttempt;
    this.#gate = opts.gate;
  }

  /** Price options (plans) keyed by resource; with `serviceid`, `current` marks that instance's plan. */
  getPriceList(serviceid?: number) {
    return this.request("get_price_list", { serviceid }, priceListSchema);
  }

  /** Cycle -> recurring price for an instance; empty when the shape is not one we know. */
  getBillingCyclePrices(serviceid?: number) {
    return this.request("get_billingcycle_prices", { serviceid }, billingCyclePricesSchema);
  }

  /** One instance: its billing cycle, hourly flag and specs. */
  getInstance(serviceid: number) {
    return this.request("get_instance", { serviceid }, instanceSchema);
  }

  /** Every instance of the account, in one call (used by reconciliation). */
  getInstances() {
    return this.request("get_instances", {}, instancesSchema, listedInstanceSchema);
  }

  /** The pending upgrade order of an instance, if any: read-only. */
  checkUpgradeOrder(serviceid: number) {
    return this.request("check_upgrade_order", { serviceid }, upgradeOrderSchema);
  }

  /**
   * Sends one read-only action, retrying transient failures within the policy.
   * Public so the allow-list test can ask for a forbidden action; typed so
   * ordinary code cannot.
   */
  async request<S extends z.ZodType>(action: ReadOnlyAction, params: Params, schema: S, listElement?: z.ZodType): Promise<z.output<S>> {
    if (!isReadOnlyAction(action)) {
      throw hostwindsError("forbidden_action", String(action), "refused: not a read-only action", this.#apiKey);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.#attempt(action, params, schema, listElement);
        this.#onAttempt?.(action, "ok");
        return result;
      } catch (err) {
        const e = err instanceof HostwindsError ? err : hostwindsError("connection", action, "unexpected failure", this.#apiKey, {}, err);
        this.#onAttempt?.(action, e.kind);
        if (e.kind === "rate_limited") await this.#gate?.pause(Math.min(e.details.retryAfterMs ?? this.#retry.baseDelayMs, this.#retry.retryAfterCapMs));
        if (!e.transient || attempt >= this.#retry.maxRetries) throw e;
        const delay = backoffDelay(this.#retry, attempt, e.details.retryAfterMs);
        this.#log?.warn({ action, attempt: attempt + 1, kind: e.kind, delayMs: delay }, "hostwinds transient failure, retrying");
        await sleep(delay);
      }
    }
  }

  async #attempt<S extends z.ZodType>(action: string, params: Params, schema: S, listElement?: z.ZodType): Promise<z.output<S>> {
    const form = new URLSearchParams({ action });
    if (this.#apiKey) form.set("API", this.#apiKey);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
    const key = this.#apiKey;
    await this.#gate?.acquire();
    const started = performance.now();

    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let parts: string[];
    // A list (get_instances of a whole fleet) is cut into elements while it arrives: see json-list.ts.
    const list = listElement ? new ListCollector(listElement) : undefined;
    try {
      const res = await request(this.#url, {
        method: "POST",
        body: form.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        dispatcher: this.#dispatcher,
        signal: AbortSignal.timeout(this.#timeoutMs),
        headersTimeout: this.#headersTimeoutMs,
        bodyTimeout: this.#bodyTimeoutMs,
      });
      status = res.statusCode;
      headers = res.headers;
      // Small answers (almost all) in one piece: the chunk-by-chunk reader costs ~100 µs more per request.
      parts = list ? await readText(res.body, list) : [await res.body.text()];
    } catch (err) {
      const name = (err as Error).name ?? "";
      const code = (err as { code?: string }).code ?? "";
      const timedOut = /Timeout|Abort/i.test(name) || /TIMEOUT/.test(code);
      throw hostwindsError(timedOut ? "timeout" : "connection", action, timedOut ? "request timed out" : `connection failed (${code || name})`, key, {}, err);
    }
    this.#log?.debug({ action, status, ms: Math.round(performance.now() - started) }, "hostwinds response");

    if (status === 429) {
      throw hostwindsError("rate_limited", action, "rate limited (HTTP 429)", key, { status, retryAfterMs: parseRetryAfter(headers["retry-after"]) });
    }
    if (status >= 500) throw hostwindsError("server", action, `server error (HTTP ${status})`, key, { status });
    if (status === 401 || status === 403) throw hostwindsError("auth", action, `not authorized (HTTP ${status})`, key, { status });
    if (status < 200 || status >= 300) throw hostwindsError("input", action, `rejected (HTTP ${status})`, key, { status });

    const items = list?.result();
    if (items) return items as z.output<S>;
    let body: unknown;
    try {
      body = JSON.parse(parts.join(""));
    } catch {
      throw hostwindsError("invalid_response", action, "response is not JSON", key, { status });
    }
    if (Array.isArray(body)) {
      const arr = resultArraySchema.safeParse(body);
      const error = arr.success ? arr.data.find((r) => r.result === "error") : undefined;
      if (error) {
        const msg = error.message ?? "error";
        const kind = /not authori[sz]ed|invalid api|api key/i.test(msg) ? "auth" : "input";
        throw hostwindsError(kind, action, `error: ${msg}`, key, { status, hostwindsMessage: msg, code: error.ERROR === undefined ? undefined : String(error.ERROR) });
      }
    }
    // `{success: payload}` is data; some documented variants omit the wrapper.
    const payload = body !== null && typeof body === "object" && !Array.isArray(body) && "success" in body ? (body as { success: unknown }).success : body;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      throw hostwindsError("invalid_response", action, `response failed validation (${where})`, key, { status });
    }
    return parsed.data;
  }
}

/**
 * The body as decoded text chunks (joined only for the fallback parse), each
 * also fed to `list`. Unlike `body.text()`, which gathers every Buffer and then
 * copies them into one string, no Buffer outlives its decoding.
 */
async function readText(body: AsyncIterable<Uint8Array>, list: { push(chunk: string): void }): Promise<string[]> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const take = (text: string) => {
    parts.push(text);
    list.push(text);
  };
  for await (const chunk of body) take(decoder.decode(chunk, { stream: true }));
  take(decoder.decode());
  return parts;
}
