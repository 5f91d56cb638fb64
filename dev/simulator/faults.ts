/** What the simulator can do wrong, per action or for any action, a number of times. */
export type Fault =
  | { type: "latency"; ms: number }
  | { type: "status"; status: number; retryAfterSeconds?: number }
  | { type: "hang" }
  | { type: "malformed" }
  | { type: "error-array"; message: string }
  /**
   * Hostwinds refusing the key: as seen live (a bare error object, the default), as documented (an
   * error array), or as an HTTP status.
   */
  | { type: "auth"; shape?: "object" | "array" | 401 | 403 }
  | { type: "wrong-shape" }
  | { type: "reset" }
  /** An answer of `bytes` bytes (valid JSON), with or without a content-length header. */
  | { type: "oversized"; bytes: number; declareLength: boolean }
  /** An error that repeats the request back, key included: what must never reach a log or a fixture. */
  | { type: "echo" }
  /** Answers with exactly this status and body (and these extra response headers). */
  | { type: "body"; status?: number; json: string; headers?: Record<string, string> };

export interface FaultRule {
  fault: Fault;
  /** Only this action; any action when unset. */
  action?: string;
  /** Only this serviceid. */
  serviceid?: string;
  /** How many requests it hits; Infinity until cleared. */
  remaining: number;
}

export class FaultPlan {
  readonly #rules: FaultRule[] = [];

  add(fault: Fault, opts: { action?: string; serviceid?: string | number; times?: number } = {}): void {
    this.#rules.push({
      fault,
      action: opts.action,
      serviceid: opts.serviceid?.toString(),
      remaining: opts.times ?? Infinity,
    });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault for this request, consuming one use of it. */
  take(action: string, serviceid: string | undefined): Fault | undefined {
    const rule = this.#rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.action === undefined || r.action === action) &&
        (r.serviceid === undefined || r.serviceid === serviceid),
    );
    if (!rule) return undefined;
    rule.remaining--;
    return rule.fault;
  }
}
