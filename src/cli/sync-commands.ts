import { QueueEvents, type Job } from "bullmq";
import { listVpsIds, vpsExists } from "../db/vps-costs.js";
import { ipExists } from "../db/ip-costs.js";
import { openRedis } from "../infrastructure.js";
import { Resources } from "../resources.js";
import type { Config } from "../config/env.js";
import type { CostSyncProducer } from "../jobs/producer.js";
import { QUEUE_NAME } from "../jobs/definitions.js";
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

/**
 * Waits for jobs to finish; refuses to wait forever when no worker is running.
 * `since` is the queue's last event id read before the jobs were enqueued, so
 * a job finishing before the listener is up is still reported.
 */
async function waitFor(
  cfg: Config,
  producer: CostSyncProducer,
  jobs: Job[],
  since: string,
  out: NodeJS.WritableStream,
) {
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
      jobs.map(async (j) => {
        try {
          return { id: j.id, ok: true, result: await j.waitUntilFinished(events) };
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
  return withSession(cfg, async (s) => {
    let jobs: Job[] = [];
    let since: string; // the queue's newest event before enqueueing (see waitFor)
    if (what === "vps" || what === "ip") {
      const id = uuidArg(rawId, what === "vps" ? "VPS" : "IP");
      await ensureExists(s, what, id);
      const p = await s.producer();
      since = await lastEventId(p.queue);
      const job =
        what === "vps"
          ? await p.enqueueVpsCostSync(id, {
              reason: rid ? `upgrade to rid ${rid} (cli)` : "manual re-sync (cli)",
              targetRid: rid,
              dedupe: !values.wait,
            })
          : await p.enqueueIpCostSync(id, { reason: "manual re-sync (cli)", dedupe: !values.wait });
      jobs = [job];
      out.write(`enqueued ${job.name} job ${job.id}\n`);
    } else if (what === "all") {
      if (rawId !== undefined) throw new UsageError(`unexpected argument: ${rawId}`);
      const ids = await listVpsIds(s.db);
      const p = await s.producer();
      since = await lastEventId(p.queue);
      const bar = progress(out, "enqueueing");
      for (const [i, id] of ids.entries()) {
        jobs.push(
          await p.enqueueVpsCostSync(id, { reason: "manual re-sync of everything (cli)", dedupe: !values.wait }),
        );
        if (i % 100 === 0) bar.update(i, ids.length);
      }
      jobs.push(await p.enqueueIpConstantChanged({ reason: "manual re-sync of everything (cli)" }));
      bar.end(`enqueued ${ids.length} VPS syncs and one IP repricing`);
    } else {
      throw new UsageError(
        "usage: cost-sync sync vps|ip <id> [--wait] | sync vps <id> --upgrade-to <rid> | sync all [--wait]",
      );
    }
    if (!values.wait) return EXIT.ok;
    const results = await waitFor(cfg, await s.producer(), jobs, since, out);
    if (jobs.length === 1)
      out.write(
        render(
          [{ job: results[0]!.id, ...(results[0]!.ok ? results[0]!.result : { failed: results[0]!.result }) }],
          "table",
        ),
      );
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.failure;
  });
}

/** `reconcile [--wait]`: a reconciliation now; with --wait, its summary. */
export async function reconcileCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { wait: { type: "boolean" } });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  return withSession(cfg, async (s) => {
    const p = await s.producer();
    const since = await lastEventId(p.queue);
    const job = await p.enqueueReconciliation({ trigger: "manual" });
    out.write(`enqueued reconciliation job ${job.id}\n`);
    if (!values.wait) return EXIT.ok;
    const [r] = await waitFor(cfg, p, [job], since, out);
    if (!r!.ok) {
      out.write(`reconciliation failed: ${r!.result}\n`);
      return EXIT.failure;
    }
    const run = await getRun(s.db, String((r!.result as { runId: string }).runId));
    out.write(
      render(
        [run as unknown as Record<string, unknown>].map((x) => ({ ...x })),
        "table",
      ),
    );
    return run?.status === "completed" ? EXIT.ok : EXIT.failure;
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
