import { QueueEvents, type Job } from "bullmq";
import type { Config } from "../config/env.js";
import { openRedis } from "../infrastructure.js";
import { JOB_NAMES, QUEUE_NAME, type JobResult } from "../jobs/definitions.js";
import type { CostSyncProducer } from "../jobs/producer.js";
import { Resources } from "../resources.js";
import { ProgressLine, reconcileProgress } from "./progress.js";

/** Jobs just enqueued, with the queue's newest event id read before enqueueing them (see waitFor). */
export interface Enqueued {
  producer: CostSyncProducer;
  jobs: Job[];
  since: string;
}

/** How a job ended, as `--wait` reports it: the handler's result, or the failure's message. */
export type Finished = { id: string | undefined; name: string } & (
  { ok: true; result: JobResult } | { ok: false; result: string }
);

/** `--wait` with no worker on the queue: the jobs stay queued, and the command says so (exit 1). */
class NoWorkerError extends Error {
  override name = "NoWorkerError";
  constructor(what: string, prefix: string) {
    super(
      `no worker is running on queue ${prefix}:${QUEUE_NAME}, so nothing would finish: ${what} stays queued and runs when a worker starts (\`cost-sync worker\`)`,
    );
  }
}

/** How progress is shown while waiting: a reconciliation's own reports, or finished jobs counted. */
export type ProgressMode = { kind: "reconcile" } | { kind: "count"; label: string } | { kind: "none" };

/**
 * Waits for jobs to finish; when no worker is running, says that they stay queued instead of
 * waiting forever. `since` is the queue's last event id read before the jobs were enqueued, so a
 * job finishing before the listener is up is still reported.
 */
export async function waitFor(
  cfg: Config,
  { producer, jobs, since }: Enqueued,
  o: { err: NodeJS.WritableStream; progress: ProgressMode; what: string },
): Promise<Finished[]> {
  if ((await producer.queue.getWorkersCount()) === 0) throw new NoWorkerError(o.what, cfg.QUEUE_PREFIX);
  const res = new Resources();
  const events = res.add(
    "queue events",
    new QueueEvents(QUEUE_NAME, {
      connection: openRedis(res, cfg.REDIS_URL, "events"),
      prefix: cfg.QUEUE_PREFIX,
      lastEventId: since,
    }),
    (e) => e.close(),
  );
  const line = new ProgressLine(o.err, o.progress.kind === "count" ? o.progress.label : "reconciliation");
  try {
    if (o.progress.kind === "reconcile") {
      const ids = new Set(jobs.map((j) => j.id));
      // Listening before the reader starts: no report is missed. The job reports { checked, total,
      // percent, chunk, chunks }; anything else (or nothing) shows no line.
      events.on("progress", ({ jobId, data }) => {
        const sample = ids.has(jobId) ? reconcileProgress(data) : undefined;
        if (sample) line.update(sample);
      });
    }
    await events.waitUntilReady();
    // Counted progress is about VPS: the IP repricing that `sync all` adds is not one of them.
    const counted = jobs.filter((j) => j.name === JOB_NAMES.vpsSync).length;
    let done = 0;
    return await Promise.all(
      jobs.map(async (j): Promise<Finished> => {
        try {
          // What the worker's processor returned (a JobResult), as BullMQ stored it.
          return { id: j.id, name: j.name, ok: true, result: (await j.waitUntilFinished(events)) as JobResult };
        } catch (e) {
          return { id: j.id, name: j.name, ok: false, result: e instanceof Error ? e.message : String(e) };
        } finally {
          if (o.progress.kind === "count" && j.name === JOB_NAMES.vpsSync)
            line.update({ done: ++done, total: counted });
        }
      }),
    );
  } finally {
    line.end();
    await res.close();
  }
}
