import { isErrorObject, type ErrorObject } from "./envelope.js";
import { JsonListSplitter } from "./json-list.js";

/** Where a list reader puts each element, parsed: it decides what to keep (and what to reject). */
export interface ListSink<T> {
  add(value: unknown, index: number): void;
  result(): T;
}

/** A list read to its end: the sink's result, or the error object the answer turned out to carry. */
export type Collected<T> = { list: T } | { error: ErrorObject };

/** Members a top-level object has when it is itself an error object rather than a keyed list. */
const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['"result"', '"action"', '"message"', '"ERROR"']);

/**
 * Collects the elements of a large list as its chunks arrive, each parsed on its own and handed
 * to the sink (which keeps only what it needs). An error object among the elements, or a keyed
 * "list" that is itself an error object (`{"result": "error", ...}`, seen live), makes the whole
 * answer that error, before the sink's verdict on anything. `result()` is undefined when the body
 * is not such a list or not JSON: the caller then parses the body the ordinary way, which reports
 * the problem exactly as for any other response.
 */
export class ListCollector<T> {
  readonly #sink: ListSink<T>;
  readonly #splitter: JsonListSplitter;
  readonly #members: Record<string, unknown> = {};
  #ok = true;
  #error: ErrorObject | undefined;
  #index = 0;

  constructor(sink: ListSink<T>) {
    this.#sink = sink;
    this.#splitter = new JsonListSplitter((json, key) => {
      this.#take(json, key);
    });
  }

  #take(json: string, key: string | undefined): void {
    if (!this.#ok || this.#error) return;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      this.#ok = false;
      return;
    }
    if (isErrorObject(value)) {
      this.#error = value;
      return;
    }
    if (key !== undefined && ENVELOPE_KEYS.has(key)) this.#members[JSON.parse(key) as string] = value;
    this.#sink.add(value, this.#index++);
  }

  push(chunk: string): void {
    if (this.#ok) this.#splitter.push(chunk);
  }

  result(): Collected<T> | undefined {
    if (!this.#ok || !this.#splitter.end()) return undefined;
    const error = this.#error ?? (isErrorObject(this.#members) ? this.#members : undefined);
    return error ? { error } : { list: this.#sink.result() };
  }
}
