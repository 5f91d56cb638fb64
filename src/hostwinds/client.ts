import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import type { z } from "zod";
import type { Logger } from "../logger.js";
import { isReadOnlyAction, MAX_ANSWER_BYTES, type ReadOnlyAction } from "./actions.js";
import { errorObjectError } from "./envelope.js";
import { hostwindsError, HostwindsError } from "./errors.js";
import { InstanceListBuilder, instanceListSchema, problemWith, type InstanceList } from "./instance-list.js";
import { ListCollector, type ListSink } from "./list-collector.js";
import type { RateGate } from "./rate-gate.js";
import { statusError, unwrap } from "./response.js";
import { backoffDelay, NO_RETRIES, type RetryPolicy } from "./retry.js";
import { describeRejectedOption, priceListAnswerSchema, priceListProblem, type PriceListAnswer } from "./price-list.js";
import {
  billingCyclePricesSchema,
  instanceSchema,
  type BillingCyclePrices,
  type PriceOption,
  upgradeOrderSchema,
} from "./schemas.js";
import { send, type RawAnswer } from "./transport.js";

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
  /**
   * Retries of transient failures inside one call. None by default: inside the worker the job
   * layer owns retries (docs/architecture.md, "Retry layering"); one-shot commands ask for some.
   */
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Shared request budget (all workers); none means unlimited. */
  gate?: RateGate;
  /** Called once per attempt with its outcome (`ok` or the error kind) and the error, for metrics and records. */
  onAttempt?: (action: string, outcome: string, error?: HostwindsError) => void;
  /**
   * Shown every answer before it is interpreted (`hostwinds check` reports and saves them). The
   * body may hold anything Hostwinds sent back, the key included: the observer must scrub it.
   */
  onAnswer?: (exchange: Exchange) => void;
}

type Params = Record<string, string | number | undefined>;

/** One answer as it arrived, with what was asked (never the key). */
export interface Exchange {
  action: ReadOnlyAction;
  params: Record<string, string>;
  answer: RawAnswer;
}

/** How a call reads its answer beyond the schema: a list read as it arrives, a check of the whole result. */
interface Reading<T> {
  list?: () => ListSink<T>;
  check?: (value: T) => string | undefined;
}

/**
 * The only code that speaks HTTP to Hostwinds. Read-only by construction (allow-list checked
 * before anything is sent). The key lives in a private field and goes only into the form body.
 */
export class HostwindsClient {
  readonly #apiKey: string | undefined;
  readonly #o: Required<
    Pick<HostwindsClientOptions, "url" | "dispatcher" | "timeoutMs" | "headersTimeoutMs" | "bodyTimeoutMs">
  >;
  readonly #retry: RetryPolicy;
  readonly #log: Logger | undefined;
  readonly #onAttempt: HostwindsClientOptions["onAttempt"];
  readonly #onAnswer: HostwindsClientOptions["onAnswer"];
  readonly #gate: RateGate | undefined;

  constructor(opts: HostwindsClientOptions) {
    this.#apiKey = opts.apiKey;
    const timeoutMs = opts.timeoutMs ?? 15_000;
    this.#o = {
      url: opts.url,
      dispatcher: opts.dispatcher,
      timeoutMs,
      headersTimeoutMs: opts.headersTimeoutMs ?? timeoutMs,
      bodyTimeoutMs: opts.bodyTimeoutMs ?? timeoutMs,
    };
    this.#retry = { ...NO_RETRIES, ...opts.retry };
    this.#log = opts.logger;
    this.#onAttempt = opts.onAttempt;
    this.#onAnswer = opts.onAnswer;
    this.#gate = opts.gate;
  }

  /**
   * Price options (plans) keyed by resource; with `serviceid`, `current` marks that instance's plan.
   * An option that fails validation is left out and logged (see price-list.ts).
   */
  async getPriceList(serviceid?: number): Promise<PriceOption[]> {
    const answer = await this.getPriceListAnswer(serviceid);
    if (answer.rejected.length > 0)
      this.#log?.warn(
        {
          action: "get_price_list",
          serviceid,
          rejectedOptions: answer.rejected.length,
          first: answer.rejected.slice(0, 5).map(describeRejectedOption),
        },
        "get_price_list: options rejected; the rest of the list prices",
      );
    return answer.options;
  }

  /** get_price_list with the options it left out, each with its reason (`hostwinds check` shows them). */
  getPriceListAnswer(serviceid?: number): Promise<PriceListAnswer> {
    return this.request("get_price_list", { serviceid }, priceListAnswerSchema, { check: priceListProblem });
  }

  /**
   * get_billingcycle_prices(serviceId): `none` for the documented `{}` (no per-instance cycle
   * prices), `prices` per cycle, or `unknown` for a shape we cannot read.
   */
  getBillingCyclePrices(serviceId?: number): Promise<BillingCyclePrices> {
    return this.request("get_billingcycle_prices", { serviceid: serviceId }, billingCyclePricesSchema);
  }

  /** One instance: its billing cycle, hourly flag and specs. */
  getInstance(serviceid: number) {
    return this.request("get_instance", { serviceid }, instanceSchema);
  }

  /**
   * Every instance of the account, in one call (used by reconciliation), validated element by
   * element: the instances we can read, and the elements we cannot with their reasons.
   */
  getInstances(): Promise<InstanceList> {
    return this.request("get_instances", {}, instanceListSchema, {
      list: () => new InstanceListBuilder(),
      check: problemWith,
    });
  }

  /** The pending upgrade order of an instance, if any: read-only. */
  checkUpgradeOrder(serviceid: number) {
    return this.request("check_upgrade_order", { serviceid }, upgradeOrderSchema);
  }

  /**
   * Sends one read-only action, retrying transient failures within the policy. Public so the
   * allow-list test can ask for a forbidden action; typed so ordinary code cannot.
   */
  async request<S extends z.ZodType>(
    action: ReadOnlyAction,
    params: Params,
    schema: S,
    reading: Reading<z.output<S>> = {},
  ): Promise<z.output<S>> {
    if (!isReadOnlyAction(action)) {
      throw hostwindsError({
        kind: "forbidden_action",
        action: String(action),
        what: "refused: not a read-only action",
        secret: this.#apiKey,
      });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.#attempt(action, params, schema, reading);
        this.#onAttempt?.(action, "ok");
        return result;
      } catch (err) {
        const e =
          err instanceof HostwindsError
            ? err
            : hostwindsError({
                kind: "connection",
                action,
                what: "unexpected failure",
                secret: this.#apiKey,
                cause: err,
              });
        this.#onAttempt?.(action, e.kind, e);
        // A 429 holds every worker's requests for Retry-After (the shared budget), retried or not.
        if (e.kind === "rate_limited")
          await this.#gate?.pause(
            Math.min(e.details.retryAfterMs ?? this.#retry.baseDelayMs, this.#retry.retryAfterCapMs),
          );
        if (!e.transient || attempt >= this.#retry.maxRetries) throw e;
        const delay = backoffDelay(this.#retry, attempt, e.details.retryAfterMs);
        this.#log?.warn(
          { action, attempt: attempt + 1, kind: e.kind, delayMs: delay },
          "hostwinds transient failure, retrying",
        );
        await sleep(delay);
      }
    }
  }

  /** One exchange: send, map the status, read the envelope (an error object anywhere is an error). */
  async #attempt<S extends z.ZodType>(
    action: ReadOnlyAction,
    params: Params,
    schema: S,
    reading: Reading<z.output<S>>,
  ): Promise<z.output<S>> {
    const form = new URLSearchParams({ action });
    if (this.#apiKey) form.set("API", this.#apiKey);
    const asked: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, (asked[k] = String(v)));
    // A list (get_instances of a whole fleet) is cut into elements while it arrives: see json-list.ts.
    const list = reading.list ? new ListCollector(reading.list()) : undefined;
    const started = performance.now();
    const answer = await send({
      ...this.#o,
      action,
      form,
      maxBytes: MAX_ANSWER_BYTES[action],
      gate: this.#gate,
      onChunk: list && ((t) => list.push(t)),
      secret: this.#apiKey,
    });
    this.#log?.debug(
      { action, status: answer.status, ms: Math.round(performance.now() - started) },
      "hostwinds response",
    );
    this.#onAnswer?.({ action, params: asked, answer });
    const failed = statusError(action, answer, this.#apiKey);
    if (failed) throw failed;
    const collected = list?.result();
    if (collected && "error" in collected)
      throw errorObjectError(collected.error, { action, status: answer.status, secret: this.#apiKey });
    const value = collected ? collected.list : unwrap(action, answer, schema, this.#apiKey);
    const problem = reading.check?.(value);
    if (problem !== undefined) {
      const details = { status: answer.status };
      throw hostwindsError({ kind: "invalid_response", action, what: problem, secret: this.#apiKey, details });
    }
    return value;
  }
}
