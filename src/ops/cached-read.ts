/** How a {@link CachedRead} reads, how often, and whom it tells about a failure. */
export interface CachedReadOptions<T> {
  read: () => Promise<T>;
  /** A new read starts at most once per this many ms (counted from the start of the previous one). */
  maxAgeMs: number;
  /** How long a caller waits for a read under way before it takes the last value instead. */
  timeoutMs: number;
  now: () => number;
  /** Called once per failed read: it rejected, or did not settle within `timeoutMs`. */
  onError: (err: unknown) => void;
}

/**
 * A value read lazily and at most once per `maxAgeMs`, for scrapes that must
 * never hammer the database behind it: callers at the same time share one
 * read, there are never two reads under way, a failed read keeps the last
 * value, and a slow one makes callers wait at most `timeoutMs`.
 */
export class CachedRead<T> {
  readonly #o: CachedReadOptions<T>;
  #last: { value: T; at: number } | undefined;
  #startedAt = Number.NEGATIVE_INFINITY;
  /** The read under way, if any. A slow read stays the one under way after its callers stop waiting. */
  #inFlight: Promise<void> | undefined;
  /** What callers wait for: the latest read, or its deadline, whichever comes first. */
  #ready: Promise<void> = Promise.resolve();

  constructor(o: CachedReadOptions<T>) {
    this.#o = o;
  }

  /** The last value read and when the read finished (ms), without reading; undefined until a read succeeds. */
  get last(): { value: T; at: number } | undefined {
    return this.#last;
  }

  /** The value, read first when the last read started `maxAgeMs` ago or more; undefined until a read succeeds. */
  async get(): Promise<T | undefined> {
    const elapsed = this.#o.now() - this.#startedAt;
    // A clock set backwards would otherwise stop the reads until it caught up again.
    if (this.#inFlight === undefined && (elapsed >= this.#o.maxAgeMs || elapsed < 0)) this.#start();
    await this.#ready;
    return this.#last?.value;
  }

  #start(): void {
    this.#startedAt = this.#o.now();
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      try {
        this.#o.onError(err);
      } catch {
        // a reporting hook must not turn into a failed scrape
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        fail(new Error(`status read did not answer within ${String(this.#o.timeoutMs)} ms`));
        resolve();
      }, this.#o.timeoutMs);
      timer.unref();
    });
    const settled = Promise.resolve()
      .then(() => this.#o.read())
      .then((value) => {
        // A late answer is still the newest data there is: keep it (its lateness was counted as a failure).
        this.#last = { value, at: this.#o.now() };
      }, fail)
      .finally(() => {
        clearTimeout(timer);
        this.#inFlight = undefined;
      });
    this.#inFlight = settled;
    this.#ready = Promise.race([settled, deadline]);
  }
}
