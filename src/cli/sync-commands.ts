import type { Job } from "bullmq";
import type { Config } from "../config/env.js";
import { lastEventId } from "../jobs/queue-events.js";
import { noArgs, oneOf, parse, resourceArg } from "./args.js";
import { printJson, tableWidth } from "./output.js";
import { ProgressLine } from "./progress.js";
import { resolveResource } from "../services/resources.js";
import { enqueueEverySync } from "../services/sync-everything.js";
import { withSession, type CliSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CliIo, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";
import { waitFor, type Enqueued, type Finished } from "./wait.js";

export { RECONCILE_HELP, reconcileCommand } from "./reconcile-command.js";

export const SYNC_HELP = {
  help: "re-enqueue syncs: sync vps|ip <id> [--wait], sync vps <id> --upgrade-to <rid>, sync all [--wait]",
  usage: [
    "sync vps <id> [--wait] [--json]",
    "sync vps <id> --upgrade-to <rid> [--wait]",
    "sync ip <id> [--wait] [--json]",
    "sync all [--wait] [--json]",
  ],
  description:
    "Enqueues cost syncs by hand. With --wait, waits for their results (a worker must run: without one the\n" +
    "jobs stay queued and the command exits 1); `sync all --wait` shows its progress on a terminal.",
  arguments: {
    "<id>": "a VPS uuid or its Hostwinds serviceid (digits: 5006, 0030 is 30); an IP uuid",
    "<rid>": "the Hostwinds resource id of the plan the instance is upgraded to (digits)",
  },
  flags: {
    wait: { type: "boolean", help: "wait for the results (exit 1 if any failed)" },
    "upgrade-to": { type: "string", value: "<rid>", help: "price the instance at plan <rid> (an upgrade event)" },
    ...JSON_FLAG,
    ...WIDE_FLAG,
  },
} satisfies CommandHelp;

export const RETRY_HELP = {
  help: "move every failed job back to waiting",
  usage: ["retry-failed [--json]"],
  flags: { ...JSON_FLAG },
} satisfies CommandHelp;

/** `sync vps <id> [--upgrade-to <rid>] [--wait]`, `sync ip <id> [--wait]`, `sync all [--wait]`. */
export async function syncCommand(cfg: Config, args: string[], out: NodeJS.WritableStream, io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, SYNC_HELP.flags);
  const [rawWhat, rawId, ...extra] = positionals;
  const what = oneOf(rawWhat, ["vps", "ip", "all"] as const, "sync target");
  noArgs(what === "all" ? positionals.slice(1) : extra);
  const rid = values["upgrade-to"];
  if (rid !== undefined && (what !== "vps" || !/^\d+$/.test(rid)))
    throw new UsageError("--upgrade-to takes a Hostwinds resource id (digits) and applies to `sync vps <id>` only");
  const wait = values.wait === true;
  const say = (line: string) => (values.json ? undefined : out.write(`${line}\n`));
  return withSession(cfg, async (s) => {
    const enqueued =
      what === "all"
        ? await enqueueAll(s, { wait, err: io.err }, say)
        : await enqueueOne(s, { what, rawId, rid, wait }, say);
    if (!wait) {
      if (values.json)
        printJson(out, { jobs: { total: enqueued.jobs.length, shown: enqueued.jobs.slice(0, 50).map(brief) } });
      return EXIT.ok;
    }
    const waitingFor =
      what === "all" ? `the sync of every VPS (${enqueued.jobs.length} jobs)` : `job ${enqueued.jobs[0]?.id ?? "?"}`;
    const progress = what === "all" ? { kind: "count" as const, label: "sync all" } : { kind: "none" as const };
    const results = await waitFor(cfg, enqueued, { err: io.err, progress, what: waitingFor });
    printResults(out, results, { json: values.json === true, maxWidth: tableWidth(out, values.wide) });
    return results.every((r) => r.ok) ? EXIT.ok : EXIT.failure;
  });
}

const brief = (j: Job) => ({ id: j.id, name: j.name });

/** One result as a row; every result for one job, the failures (first 50 and their count) for many. */
function printResults(out: NodeJS.WritableStream, results: Finished[], o: { json: boolean; maxWidth?: number }) {
  const row = (r: Finished) => ({ job: r.id, name: r.name, ...(r.ok ? r.result : { failed: r.result }) });
  const failures = results.filter((r) => !r.ok);
  if (o.json) {
    const completed = results.length - failures.length;
    const body =
      results.length === 1
        ? { jobs: results.map(row) }
        : { failures: { total: failures.length, shown: failures.slice(0, 50).map(row) } };
    printJson(out, { total: results.length, completed, failed: failures.length, ...body });
    return;
  }
  out.write(`${results.length - failures.length} of ${results.length} completed\n`);
  const shown = results.length === 1 ? results : failures.slice(0, 50);
  if (shown.length) {
    if (results.length > 1)
      out.write(`failed (${shown.length < failures.length ? `${shown.length} of ` : ""}${failures.length}):\n`);
    out.write(render(shown.map(row), "table", undefined, { maxWidth: o.maxWidth }));
  }
}

/** `sync vps|ip <id>`: one job, never deduplicated into another when the caller waits for it. */
async function enqueueOne(
  s: CliSession,
  o: { what: "vps" | "ip"; rawId: string | undefined; rid: string | undefined; wait: boolean },
  say: (line: string) => void,
): Promise<Enqueued> {
  const id = await resolveResource(s.repos.lookup, resourceArg(o.what, o.rawId));
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
  say(`enqueued ${job.name} job ${job.id ?? "?"} for ${o.what} ${id}`);
  return { producer, jobs: [job], since };
}

/** `sync all`: every VPS, then one repricing of every IP. */
async function enqueueAll(
  s: CliSession,
  o: { wait: boolean; err: NodeJS.WritableStream },
  say: (line: string) => void,
): Promise<Enqueued> {
  const producer = await s.producer();
  const since = await lastEventId(producer.queue);
  const line = new ProgressLine(o.err, "enqueueing");
  const { jobs, vps } = await enqueueEverySync(
    { db: s.db, queue: producer },
    { dedupe: !o.wait, onProgress: (done, total) => line.update({ done, total }) },
  );
  line.end();
  say(`enqueued ${vps} VPS syncs and one IP repricing`);
  return { producer, jobs, since };
}

/** `retry-failed`: moves every failed job back to waiting. */
export async function retryFailedCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, RETRY_HELP.flags);
  noArgs(positionals);
  return withSession(cfg, async (s) => {
    const p = await s.producer();
    const failed = await p.queue.getFailedCount();
    await p.queue.retryJobs({ state: "failed" });
    if (values.json) printJson(out, { retried: failed });
    else out.write(`retried ${failed} failed job(s)\n`);
    return EXIT.ok;
  });
}
