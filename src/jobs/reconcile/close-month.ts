import { operatorOf } from "../../operator.js";
import type { RunSummary } from "../../db/writes/runs.js";
import type { Logger } from "../../logger.js";
import { previousMonth } from "../../months.js";
import { closeMonth } from "../../services/month-close.js";
import type { JobContext } from "../context.js";

/**
 * The automatic month close (docs/month-close.md): a completed *scheduled* reconciliation closes
 * the month before the one it started in (a run started on the 1st that ends on the 2nd still
 * closes the month before). Runs started from the CLI or by ops never close anything. The figures
 * behind the views are recomputed first, so the close freezes what this run just priced. A month
 * already closed (by Finance, or by an earlier attempt) is left as it is.
 *
 * A failed close does not fail the reconciliation, whose prices are committed: it is logged and
 * the month stays open for `close-month`.
 */
export async function closeAfterScheduledRun(ctx: JobContext, run: RunSummary, log: Logger): Promise<void> {
  if (run.trigger !== "schedule") return;
  const month = previousMonth(run.startedAt);
  try {
    const { done, refreshed } = await closeMonth(ctx.repos, {
      month,
      closedBy: operatorOf(ctx.cfg),
      trigger: "schedule",
      reason: `scheduled reconciliation ${run.id}`,
      runId: run.id,
    });
    if (!refreshed) {
      log.info({ month, runId: run.id }, "month already closed; the scheduled close left it as it is");
      return;
    }
    log.info({ month, runId: run.id, outcome: done.outcome }, "month close after the scheduled reconciliation");
    if (done.outcome === "closed") ctx.analytics.capture("cost_month_closed", { month, trigger: "schedule" });
  } catch (err) {
    log.warn({ err, month, runId: run.id }, `closing ${month} failed; it stays open (cost-sync close-month ${month})`);
  }
}
