import type { Job, Queue } from "bullmq";
import { UnrecoverableError } from "bullmq";
import type { Logger } from "../logger.js";
import type { JobContext } from "./context.js";
import { payloadSchemas, type JobName, type JobResult } from "./definitions.js";
import { toJobError } from "./errors.js";
import { JOBS } from "./registry.js";

/**
 * The worker's processor: validates the payload, runs the job's handler with
 * a child logger, records metrics, and turns errors into retry/give-up through
 * the one classifier.
 */
export function createProcessor(ctx: JobContext, queue: Queue, log: Logger, queueName: string) {
  return async (job: Job): Promise<JobResult> => {
    const started = performance.now();
    const jobLog = log.child({ queue: queueName, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    const name = job.name as JobName;
    const definition = JOBS[name];
    try {
      if (!definition) throw new UnrecoverableError(`unknown job name ${JSON.stringify(job.name)}`);
      const data = payloadSchemas[name].parse(job.data);
      const result = await (definition.handle as (c: JobContext, d: unknown, j: Job, l: Logger) => Promise<JobResult>)(ctx, data, job, jobLog);
      ctx.metrics.jobs.inc({ queue: queueName, job: job.name, outcome: result.outcome });
      jobLog.info({ outcome: result.outcome, changed: result.changed, detail: result.detail }, "job done");
      return result;
    } catch (err) {
      const e = await toJobError(err, queue);
      const outcome = e instanceof UnrecoverableError ? "failed" : e.name === "RateLimitError" ? "rate_limited" : "retry";
      ctx.metrics.jobs.inc({ queue: queueName, job: job.name, outcome });
      jobLog.warn({ err: e, outcome }, "job error");
      throw e;
    } finally {
      ctx.metrics.jobDuration.observe({ job: job.name }, (performance.now() - started) / 1000);
    }
  };
}
