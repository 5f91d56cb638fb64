import type { Config } from "../config/env.js";
import { attributionRefreshedAt } from "../db/attribution.js";
import { latestRun } from "../db/runs.js";
import { getIpConstantCents, getLastReconciliation } from "../db/settings.js";
import { listUnpricedVps } from "../db/status.js";
import { RECONCILE_SCHEDULER_ID } from "../jobs/definitions.js";
import { formatCents } from "../money.js";
import { parse } from "./args.js";
import { withSession, type CliSession } from "./session.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

/** `status [--json]`: queues, failures, unpriced resources, reconciliation freshness. */
export async function statusCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  return withSession(cfg, async (s) => {
    const report = await gatherStatus(s);
    if (values.json) out.write(JSON.stringify(report, null, 2) + "\n");
    else printStatus(report, out);
    return EXIT.ok;
  });
}

/** What BullMQ says about the queue; with Redis unreachable, the error in place of the counts. */
interface QueueStatus {
  queue: Record<string, unknown>;
  workers: number;
  failedJobs: Record<string, unknown>[];
  nextReconciliation: string | null;
}

type StatusReport = Awaited<ReturnType<typeof gatherStatus>>;

/** Everything `status` shows, in the shape `--json` prints. */
async function gatherStatus(s: CliSession) {
  const { queue, workers, failedJobs, nextReconciliation } = await readQueue(s);
  const unpriced = await listUnpricedVps(s.db, 50);
  const last = await getLastReconciliation(s.db);
  const run = await latestRun(s.db);
  const ipConstant = await getIpConstantCents(s.db).then(
    formatCents,
    (e: unknown) => `INVALID: ${(e as Error).message}`,
  );
  const attribution = await attributionRefreshedAt(s.db);
  const ageHours = (completedAt: Date) => (Date.now() - completedAt.getTime()) / 3_600_000;
  return {
    queue,
    workers,
    failedJobs,
    unpriced,
    lastSuccessfulReconciliation: last ? { ...last, ageHours: Number(ageHours(last.completedAt).toFixed(1)) } : null,
    latestRun: run ?? null,
    nextReconciliation,
    ipConstantUsd: ipConstant,
    attributionRefreshedAt: attribution,
  };
}

/** Counts, workers, the latest failures and the next scheduled reconciliation. */
async function readQueue(s: CliSession): Promise<QueueStatus> {
  // Whatever was read before a failure is still shown; the counts give way to the error.
  const partial: Omit<QueueStatus, "queue"> = { workers: 0, failedJobs: [], nextReconciliation: null };
  try {
    const q = (await s.producer()).queue;
    const queue = await q.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
    partial.workers = await q.getWorkersCount();
    partial.failedJobs = (await q.getFailed(0, 19)).map((j) => ({
      id: j.id,
      name: j.name,
      data: JSON.stringify(j.data),
      attempts: j.attemptsMade,
      reason: j.failedReason,
    }));
    const sched = (await q.getJobSchedulers()).find((x) => x.key === RECONCILE_SCHEDULER_ID);
    partial.nextReconciliation = sched?.next ? new Date(sched.next).toISOString() : null;
    return { queue, ...partial };
  } catch (e) {
    return { queue: { error: (e as Error).message }, ...partial };
  }
}

function printStatus(report: StatusReport, out: NodeJS.WritableStream): void {
  const { queue, workers, ipConstantUsd, lastSuccessfulReconciliation: last, latestRun: run } = report;
  const { failedJobs, unpriced, attributionRefreshedAt: attribution } = report;
  out.write(`queue: ${JSON.stringify(queue)}  workers: ${workers}\n`);
  out.write(`IP constant: ${ipConstantUsd} USD/month\n`);
  out.write(
    `last successful reconciliation: ${last ? `${last.completedAt.toISOString()} (${last.ageHours.toFixed(1)} h ago, run ${last.runId})` : "never"}\n`,
  );
  out.write(
    `next scheduled reconciliation: ${report.nextReconciliation ?? "not scheduled (no worker has started yet)"}\n`,
  );
  out.write(`cost attribution (views) refreshed: ${attribution ? attribution.toISOString() : "never"}\n`);
  if (run) out.write(`\nlatest run:\n${render([{ ...run }], "table")}`);
  out.write(`\nfailed jobs (${failedJobs.length}):\n${render(failedJobs, "table")}`);
  out.write(
    `\nunpriced resources (${unpriced.length}${unpriced.length === 50 ? "+" : ""}):\n${render(
      unpriced.map((u) => ({ ...u })),
      "table",
    )}`,
  );
}
