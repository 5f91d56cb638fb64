/** What the simulator can do wrong, per action or for any action, a number of times. */
export type Fault =
  | { type: "latency"; ms: number }
  | { type: "status"; status: number; retryAfterSeconds?: number }
  | { type: "hang" }
  | { type: "malformed" }
  | { type: "error-array"; message: string }
  | { type: "auth" }
  | { type: "wrong-shape" }
  | { type: "reset" };

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
