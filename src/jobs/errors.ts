import { UnrecoverableError, Worker, type Queue } from "bullmq";
import { ZodError } from "zod";
import { HostwindsError } from "../hostwinds/errors.js";
import { SystemConfigError } from "../db/system-config.js";

/**
 * The one place that decides retry vs. give up for a job's error:
 * - 429 from Hostwinds (after the client's own retries): the whole queue
 *   pauses for Retry-After and the job goes back without spending an attempt;
 * - other transient errors (timeouts, 5xx, connection, database): rethrown for
 *   BullMQ's exponential backoff;
 * - permanent ones (bad payload, Hostwinds auth, broken system_config):
 *   UnrecoverableError with a clear reason, no retries.
 */
export async function toJobError(err: unknown, queue: Queue): Promise<Error> {
  if (err instanceof HostwindsError && err.kind === "rate_limited") {
    await queue.rateLimit(err.details.retryAfterMs ?? 1000);
    return Worker.RateLimitError();
  }
  if (err instanceof HostwindsError && !err.transient) return new UnrecoverableError(err.message);
  if (err instanceof ZodError) return new UnrecoverableError(`invalid job payload: ${err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  if (err instanceof SystemConfigError) return new UnrecoverableError(err.message);
  return err instanceof Error ? err : new Error(String(err));
}
