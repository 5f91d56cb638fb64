import type { Config } from "../config/env.js";
import { attributionRefreshedAt } from "../db/attribution.js";
import { latestRun } from "../db/runs.js";
import { getIpConstantCents, getLastReconciliation } from "../db/settings.js";
import { listUnpricedVps } from "../db/status.js";
import { RECONCILE_SCHEDULER_ID } from "../jobs/definitions.js";
import { formatCents } from "../money.js";
import { parse } from "./args.js";
import { withSession } from "./session.js";
import { render } from "./table.js";
import { EXIT, UsageError } from "./usage-error.js";

/** `status [--json]`: queues, failures, unpriced resources, reconciliation freshness. */
export async function statusCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  return withSession(cfg, async (s) => {
    let queue: Record<string, unknown> = { error: "Redis unreachable" };
    let failedJobs: Record<string, unknown>[] = [];
    let workers = 0;
    let nextReconciliation: string | null = null;
    try {
      const q = (await s.producer()).queue;
      queue = await q.getJobCounts("waiting", "active", "delayed", "completed", "failed", "prioritized");
      workers = await q.getWorkersCount();
      failedJobs = (await q.getFailed(0, 19)).map((j) => ({
        id: j.id,
        name: j.name,
        data: JSON.stringify(j.data),
        attempts: j.attemptsMade,
        reason: j.failedReason,
      }));
      const sched = (await q.getJobSchedulers()).find((x) => x.key === RECONCILE_SCHEDULER_ID);
      nextReconciliation = sched?.next ? new Date(sched.next).toISOString() : null;
    } catch (e) {
      queue = { error: (e as Error).message };
    }
    const unpriced = await listUnpricedVps(s.db, 50);
    const last = await getLastReconciliation(s.db);
    const run = await latestRun(s.db);
    const ipConstant = await getIpConstantCents(s.db).then(formatCents, (e: Error) => `INVALID: ${e.message}`);
    const attribution = await attributionRefreshedAt(s.db);
    const ageHours = last ? (Date.now() - last.completedAt.getTime()) / 3_600_000 : null;
    const report = {
      queue,
      workers,
      failedJobs,
      unpriced,
      lastSuccessfulReconciliation: last ? { ...last, ageHours: Number(ageHours!.toFixed(1)) } : null,
      latestRun: run ?? null,
      nextReconciliation,
      ipConstantUsd: ipConstant,
      attributionRefreshedAt: attribution,
    };
    if (values.json) {
      out.write(JSON.stringify(report, null, 2) + "\n");
      return EXIT.ok;
    }
    out.write(`queue: ${JSON.stringify(queue)}  workers: ${workers}\n`);
    out.write(`IP constant: ${ipConstant} USD/month\n`);
    out.write(
      `last successful reconciliation: ${last ? `${last.completedAt.toISOString()} (${ageHours!.toFixed(1)} h ago, run ${last.runId})` : "never"}\n`,
    );
    out.write(`next scheduled reconciliation: ${nextReconciliation ?? "not scheduled (no worker has started yet)"}\n`);
    out.write(`cost attribution (views) refreshed: ${attribution ? attribution.toISOString() : "never"}\n`);
    if (run) out.write(`\nlatest run:\n${render([{ ...run }], "table")}`);
    out.write(`\nfailed jobs (${failedJobs.length}):\n${render(failedJobs, "table")}`);
    out.write(
      `\nunpriced resources (${unpriced.length}${unpriced.length === 50 ? "+" : ""}):\n${render(
        unpriced.map((u) => ({ ...u })),
        "table",
      )}`,
    );
    return EXIT.ok;
  });
}
