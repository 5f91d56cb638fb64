import { UnrecoverableError } from "bullmq";
import { ZodError } from "zod";
import { SystemConfigError } from "../db/writes/settings.js";
import { HOSTWINDS_ACTION, HostwindsError } from "../hostwinds/errors.js";

/**
 * What to do about an error: the one decision, shared by every job and the reconciliation
 * (docs/architecture.md, "Retry layering"):
 * - `retry`: transient; the job layer runs the job again with backoff (BullMQ attempts);
 * - `pause`: rate limited; the queue pauses for `pauseMs` and the job goes back without using an attempt;
 * - `unpriced`: about one resource; it keeps its cost and gets the reason, nothing fails;
 * - `fail`: about the account, the configuration or the payload; no retry can help;
 * - `release`: the worker is shutting down; the job goes straight back to the queue, without
 *   using an attempt, for the next worker (a reconciliation resumes from its committed cursor).
 */
export type Failure =
  | { action: "release"; reason: string }
  | { action: "retry"; reason: string }
  | { action: "pause"; reason: string; pauseMs: number }
  | { action: "unpriced"; reason: string }
  | { action: "fail"; reason: string };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Thrown by long jobs at a safe point once the worker is asked to stop. */
export class ShutdownError extends Error {
  override name = "ShutdownError";
  constructor() {
    super("the worker is shutting down; the job goes back to the queue from its last committed step");
  }
}

export function classify(err: unknown): Failure {
  if (err instanceof ShutdownError) return { action: "release", reason: err.message };
  if (err instanceof HostwindsError) return classifyHostwinds(err);
  // A payload that fails its schema: another attempt reads the same payload.
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    return { action: "fail", reason: `invalid job payload: ${issues}` };
  }
  // Finance's settings are broken: a person fixes them, time does not.
  if (err instanceof SystemConfigError) return { action: "fail", reason: err.message };
  // Already decided upstream.
  if (err instanceof UnrecoverableError) return { action: "fail", reason: err.message };
  // Anything else (Postgres or Redis unreachable, a serialisation failure, a bug): try again later.
  return { action: "retry", reason: messageOf(err) };
}

/** A Hostwinds error's action comes from the one table in src/hostwinds/errors.ts. */
function classifyHostwinds(e: HostwindsError): Failure {
  const action = HOSTWINDS_ACTION[e.kind];
  if (action === "pause") return { action, reason: e.message, pauseMs: e.details.retryAfterMs ?? 1000 };
  return { action, reason: e.message };
}
