import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from "bullmq";
import type { Logger } from "../logger.js";
import type { JobContext } from "./context.js";
import { payloadSchemas, type JobName, type JobResult } from "./definitions.js";
import { classify, type Failure } from "./failure-policy.js";
import { JOBS } from "./registry.js";

const isJobName = (name: string): name is JobName => name in JOBS;

/**
 * The worker's processor: validates the payload, runs the job's handler with a child logger,
 * records metrics, and turns an error into BullMQ's terms through the one failure policy.
 */
export function createProcessor(ctx: JobContext, queue: Queue, log: Logger, queueName: string) {
  return async (job: Job, token?: string): Promise<JobResult> => {
    const started = performance.now();
    const jobLog = log.child({ queue: queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    try {
      const result = await run(ctx, job, jobLog);
      ctx.metrics.jobs.inc({ queue: queueName, job: job.name, outcome: result.outcome });
      jobLog.info({ outcome: result.outcome, changed: result.changed, detail: result.detail }, "job done");
      return result;
    } catch (err) {
      const failure = classify(err);
      ctx.metrics.jobs.inc({ queue: queueName, job: job.name, outcome: OUTCOME[failure.action] });
      jobLog.warn({ err, outcome: OUTCOME[failure.action], reason: failure.reason }, "job error");
      throw await toBullMq(failure, err, { queue, job, token });
    } finally {
      ctx.metrics.jobDuration.observe({ job: job.name }, (performance.now() - started) / 1000);
    }
  };
}

async function run(ctx: JobContext, job: Job, log: Logger): Promise<JobResult> {
  const name = job.name;
  if (!isJobName(name)) throw new UnrecoverableError(`unknown job name ${JSON.stringify(name)}`);
  const data: unknown = payloadSchemas[name].parse(job.data);
  // The payload was validated against this name's schema just above, which TypeScript cannot correlate.
  const definition = JOBS[name] as { handle(c: JobContext, d: unknown, j: Job, l: Logger): Promise<JobResult> };
  return definition.handle(ctx, data, job, log);
}

const OUTCOME: Record<Failure["action"], string> = {
  release: "released",
  retry: "retry",
  pause: "rate_limited",
  unpriced: "failed",
  fail: "failed",
};

/**
 * How BullMQ is told: a retry rethrows the error (its backoff applies); a pause rate-limits the
 * queue and returns the job without using an attempt; a release (shutdown) moves it back, due at
 * once; anything else ends the job with the reason.
 * (An `unpriced` failure that reaches here was about a fleet-wide call, not one resource.)
 */
async function toBullMq(
  failure: Failure,
  err: unknown,
  o: { queue: Queue; job: Job; token: string | undefined },
): Promise<Error> {
  switch (failure.action) {
    case "release":
      // Back to the queue, due now, without using an attempt: the next worker takes it up.
      await o.job.moveToDelayed(Date.now(), o.token);
      return new DelayedError(failure.reason);
    case "retry":
      return err instanceof Error ? err : new Error(failure.reason);
    case "pause":
      // Retry-After: 0 means "now": the job only goes back to the queue (Redis refuses a 0 ms expiry).
      if (failure.pauseMs > 0) await o.queue.rateLimit(failure.pauseMs);
      return Worker.RateLimitError();
    case "unpriced":
    case "fail":
      return new UnrecoverableError(failure.reason);
  }
}
