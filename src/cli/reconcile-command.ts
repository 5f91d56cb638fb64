import { cappedCount } from "../capped-list.js";
import type { Config } from "../config/env.js";
import { lastEventId } from "../jobs/queue-events.js";
import { reconciliationSummary, type ReconciliationSummary } from "../services/reconciliation-summary.js";
import { noArgs, parse } from "./args.js";
import { clean, printJson, tableWidth } from "./output.js";
import { recordLines } from "./record.js";
import { withSession } from "../runtime.js";
import { JSON_FLAG, WIDE_FLAG, type CliIo, type CommandHelp } from "./spec.js";
import { render } from "./table.js";
import { EXIT } from "./usage-error.js";
import { untrackedLine } from "./untracked-status.js";
import { waitFor } from "./wait.js";

export const RECONCILE_HELP = {
  help: "enqueue a reconciliation now; --wait prints its summary",
  usage: ["reconcile [--wait] [--json] [--wide]"],
  description:
    "Enqueues a reconciliation of every VPS and IP. With --wait, shows its progress on a terminal (chunk n of m,\n" +
    "VPS per second, ETA), then the run's figures and the VPS it could not price; exit 0 when it completed.\n" +
    "With no worker running, the job stays queued (it runs when a worker starts) and --wait exits 1.",
  flags: { wait: { type: "boolean", help: "wait for the run and print its summary" }, ...JSON_FLAG, ...WIDE_FLAG },
} satisfies CommandHelp;

/** How many of the VPS a run could not price are listed (with their total). */
const UNPRICED_SHOWN = 20;

/** `reconcile [--wait]`: a reconciliation now; with --wait, its summary. */
export async function reconcileCommand(
  cfg: Config,
  args: string[],
  out: NodeJS.WritableStream,
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parse(args, RECONCILE_HELP.flags);
  noArgs(positionals);
  return withSession(cfg, async (s) => {
    const producer = await s.producer();
    const since = await lastEventId(producer.queue);
    const job = await producer.enqueueReconciliation({ trigger: "manual" });
    const jobId = job.id ?? "?";
    if (!values.wait) {
      if (values.json) printJson(out, { job: jobId });
      else out.write(`enqueued reconciliation job ${jobId}\n`);
      return EXIT.ok;
    }
    if (!values.json) out.write(`enqueued reconciliation job ${jobId}\n`);
    const what = `reconciliation job ${jobId}`;
    const [r] = await waitFor(
      cfg,
      { producer, jobs: [job], since },
      { err: io.err, progress: { kind: "reconcile" }, what },
    );
    if (!r?.ok) {
      if (values.json) printJson(out, { job: jobId, failed: r?.result ?? "no result" });
      else out.write(`reconciliation failed: ${clean(r?.result ?? "no result")}\n`);
      return EXIT.failure;
    }
    const runId = r.result.runId;
    if (typeof runId !== "string") throw new Error(`reconciliation job ${jobId} returned no run id`);
    const summary = await reconciliationSummary(s.db, runId, UNPRICED_SHOWN);
    if (values.json) printJson(out, { job: jobId, ...summary });
    else printRun(out, summary, tableWidth(out, values.wide));
    return summary.run.status === "completed" ? EXIT.ok : EXIT.failure;
  });
}

/** The run's summary as key: value lines, the VPS it could not price, and its untracked line. */
function printRun(out: NodeJS.WritableStream, r: ReconciliationSummary, maxWidth: number | undefined): void {
  const { unpriced } = r;
  out.write(recordLines(r.run));
  if (unpriced.total > 0) {
    out.write(`\nVPS this run could not price (${cappedCount(unpriced)}; each kept its previous cost):\n`);
    out.write(render(unpriced.shown, "table", undefined, { maxWidth }));
  }
  out.write(`\n${untrackedLine(r.untracked)}\n`);
}
