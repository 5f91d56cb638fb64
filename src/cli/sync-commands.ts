import { QueueEvents, type Job } from "bullmq";
import { listVpsIds, vpsExists } from "../db/vps-costs.js";
import { ipExists } from "../db/ip-costs.js";
import { openRedis } from "../infrastructure.js";
import { Resources } from "../resources.js";
import type { Config } from "../config/env.js";
import type { CostSyncProducer } from "../jobs/producer.js";
import { QUEUE_NAME, type JobResult } from "../jobs/definitions.js";
import { lastEventId } from "../jobs/queue-events.js";
import { getRun } from "../db/runs.js";
import { parse, uuidArg } from "./args.js";
import { withSession, type CliSession } from "./session.js";
import { progress, render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

async function ensureExists(s: CliSession, kind: "vps" | "ip", id: string) {
  const found = kind === "vps" ? await vpsExists(s.db, id) : await ipExists(s.db, id);
  if (!found) throw new UsageError(`no ${kind === "vps" ? "VPS" : "IP"} with id ${id}`);
}

/** Jobs just enqueued, with the queue's newest event id read before enqueueing them (see waitFor). */
interface Enqueued {
  producer: CostSyncProducer;
  jobs: Job[];
  since: string;
}

/** How a job ended, as `--wait` reports it: the handler's result, or the failure's message. */
type Finished = { id: string | undefined } & ({ ok: true; result: JobResult } | { ok: false; result: string });

/**
 * Waits for jobs to finish; refuses to wait forever when no worker is running.
 * `since` is the queue's last event id read before the jobs were enqueued, so
 * a job finishing before the listener is up is still reported.
 */
async function waitFor(cfg: Config, { producer, jobs, since }: Enqueued, out: NodeJS.WritableStream) {
  if ((await producer.queue.getWorkersCount()) === 0) {
    throw new Error("no worker is running on this queue, so --wait would never end: start `cost-sync worker`");
  }
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
  try {
    await events.waitUntilReady();
    const bar = progress(out, "waiting");
    let done = 0;
    const results = await Promise.all(
      jobs.map(async (j): Promise<Finished> => {
        try {
          // What the worker's processor returned (a JobResult), as BullMQ stored it.
          return { id: j.id, ok: true, result: (await j.waitUntilFinished(events)) as JobResult };
        } catch (e) {
          return { id: j.id, ok: false, result: (e as Error).message };
        } finally {
          bar.update(++done, jobs.length);
        }
      }),
    );
    bar.end(`${results.filter((r) => r.ok).length}/${jobs.length} completed`);
    return results;
  } finally {
    await res.close();
  }
}

/** `sync vps <id> [--upgrade-to <rid>] [--wait]`, `sync ip <id> [--wait]`, `sync all [--wait]`. */
export async function syncCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { wait: { type: "boolean" }, "upgrade-to": { type: "string" } });
  const [what, rawId, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  const rid = values["upgrade-to"];
  if (rid !== undefined && (what !== "vps" || !/^\d+$/.test(rid)))
    throw new UsageError("--upgrade-to takes a Hostwinds resource id (digits) and applies to `sync vps <id>` only");
  const wait = values.wait === true;
  return withSession(cfg, async (s) => {
    let enqueued: Enqueued;
    if (what === "vps" || what === "ip") enqueued = await enqueueOne(s, { what, rawId, rid, wait }, out);
    else if (what === "all") enqueued = await enqueueAll(s, { rawId, wait }, out);
    else
      throw new UsageError(
        "usage: cost-sync sync vps|ip <id> [--wait] | sync vps <id> --upgrade-to <rid> | sync all [--wait]",
      );
    if (!wait) return EXIT.ok;
    const results = await waitFor(cfg, enqueued, out);
    const [only] = results;
    if (only && results.length === 1)
      out.write(render([{ job: only.id, ...(only.ok ? only.result : { failed: only.result }) }], "table"));
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.failure;
  });
}

/** `sync vps|ip <id>`: one job, never deduplicated into another when the caller waits for it. */
async function enqueueOne(
  s: CliSession,
  o: { what: "vps" | "ip"; rawId: string | undefined; rid: string | undefined; wait: boolean },
  out: NodeJS.WritableStream,
): Promise<Enqueued> {
  const id = uuidArg(o.rawId, o.what === "vps" ? "VPS" : "IP");
  await ensureExists(s, o.what, id);
  const producer = await s.producer();
  const since = await lastEventId(producer.queue);
  const job =
    o.what === "vps"
      ? await producer.enqueueVpsCostSync(id, {
          reason: o.rid ? `upgrade to rid ${o.rid} (cli)` : "manual re-sync (cli)",
          targetRid: o.rid,
          dedupe: !o.wait,
        })
      : await producer.enqueueIpCostSync(id, { reason: "manual re-sync (cli)", dedupe: !o.wait });
  out.write(`enqueued ${job.name} job ${job.id}\n`);
  return { producer, jobs: [job], since };
}

/** `sync all`: every VPS, then one repricing of every IP. */
async function enqueueAll(
  s: CliSession,
  o: { rawId: string | undefined; wait: boolean },
  out: NodeJS.WritableStream,
): Promise<Enqueued> {
  if (o.rawId !== undefined) throw new UsageError(`unexpected argument: ${o.rawId}`);
  const ids = await listVpsIds(s.db);
  const producer = await s.producer();
  const since = await lastEventId(producer.queue);
  const bar = progress(out, "enqueueing");
  const jobs: Job[] = [];
  for (const [i, id] of ids.entries()) {
    jobs.push(await producer.enqueueVpsCostSync(id, { reason: "manual re-sync of everything (cli)", dedupe: !o.wait }));
    if (i % 100 === 0) bar.update(i, ids.length);
  }
  jobs.push(await producer.enqueueIpConstantChanged({ reason: "manual re-sync of everything (cli)" }));
  bar.end(`enqueued ${ids.length} VPS syncs and one IP repricing`);
  return { producer, jobs, since };
}

/** `reconcile [--wait]`: a reconciliation now; with --wait, its summary. */
export async function reconcileCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { wait: { type: "boolean" } });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  return withSession(cfg, async (s) => {
    const producer = await s.producer();
    const since = await lastEventId(producer.queue);
    const job = await producer.enqueueReconciliation({ trigger: "manual" });
    out.write(`enqueued reconciliation job ${job.id}\n`);
    if (!values.wait) return EXIT.ok;
    const [r] = await waitFor(cfg, { producer, jobs: [job], since }, out);
    if (!r) throw new Error(`no result for reconciliation job ${job.id}`);
    if (!r.ok) {
      out.write(`reconciliation failed: ${r.result}\n`);
      return EXIT.failure;
    }
    const runId = r.result.runId;
    if (typeof runId !== "string") throw new Error(`reconciliation job ${job.id} returned no run id`);
    const run = await getRun(s.db, runId);
    if (!run) throw new Error(`reconciliation run ${runId} not found`);
    out.write(render([{ ...run }], "table"));
    return run.status === "completed" ? EXIT.ok : EXIT.failure;
  });
}

/** `retry-failed`: moves every failed job back to waiting. */
export async function retryFailedCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  parse(args, {});
  return withSession(cfg, async (s) => {
    const p = await s.producer();
    const failed = await p.queue.getFailedCount();
    await p.queue.retryJobs({ state: "failed" });
    out.write(`retried ${failed} failed job(s)\n`);
    return EXIT.ok;
  });
}
