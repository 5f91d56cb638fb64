import type { AnomalyRule, WriteContext } from "../../db/writes/cost-writes.js";
import type { RunSummary } from "../../db/writes/runs.js";
import type { Logger } from "../../logger.js";
import type { JobContext } from "../context.js";
import { closeAfterScheduledRun } from "./close-month.js";

export interface FinishingRun {
  runId: string;
  constantCents: bigint;
  write: WriteContext;
  anomaly: AnomalyRule;
}

/**
 * After the last chunk: the IPs on no VPS (no chunk reaches them), the run's totals, the
 * freshness record, housekeeping, the close of the previous month after a scheduled run, and the
 * news (views refresh, metrics, analytics).
 */
export async function finishRun(ctx: JobContext, run: FinishingRun, log: Logger): Promise<RunSummary> {
  const orphans = await ctx.repos.ips.reprice(
    { orphans: true },
    { constantCents: run.constantCents, write: run.write, anomaly: run.anomaly },
  );
  const summary = await ctx.repos.runs.complete(run.runId, {
    checked: orphans.checked,
    changed: orphans.changed,
    skipped: orphans.skipped,
  });
  const finishedAt = summary.finishedAt ?? new Date();
  await ctx.repos.settings.recordSuccessfulReconciliation(run.runId, finishedAt);
  await ctx.repos.maintenance.vacuumCostTables().catch((err: unknown) => {
    log.warn({ err }, "vacuum after reconciliation failed");
  });
  await closeAfterScheduledRun(ctx, summary, log);
  // The views' figures are recomputed by their own job, right away, as after any other cost change.
  await ctx.producer.enqueueAttributionRefresh({ reason: "reconciliation completed", delayMs: 0 });
  ctx.metrics.lastReconciliation.set(finishedAt.getTime() / 1000);
  ctx.analytics.capture("cost_reconciliation_completed", { ...summary, startedAt: summary.startedAt.toISOString() });
  log.info(
    { runId: run.runId, vpsChecked: summary.vpsChecked, vpsChanged: summary.vpsChanged, ipChanged: summary.ipChanged },
    "reconciliation completed",
  );
  return summary;
}
