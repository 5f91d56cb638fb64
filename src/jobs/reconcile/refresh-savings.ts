import type { ListedInstance } from "../../hostwinds/schemas.js";
import type { Logger } from "../../logger.js";
import { groupKey } from "../../pricing/catalogue.js";
import type { JobContext } from "../context.js";

/**
 * After a completed run: each listed instance's cycle and plan group recorded, and the savings
 * opportunities recomputed (docs/savings.md). A failure here is logged and leaves the run
 * completed: its costs are written, and the next refresh catches up.
 */
export async function refreshSavingsAfterRun(
  ctx: JobContext,
  run: { runId: string; instances: ReadonlyMap<number, ListedInstance> },
  log: Logger,
): Promise<void> {
  if (!ctx.savings) return;
  const cycles = [...run.instances.values()].map((i) => ({
    serviceId: i.serviceid,
    cycle: i.hourly ? "hourly" : i.billingcycle,
    groupKey: groupKey(i) ?? null,
  }));
  try {
    const r = await ctx.savings.afterReconciliation(run.runId, cycles);
    log.info(
      { runId: run.runId, opportunities: r.opportunities, opened: r.opened, done: r.done, calls: r.calls },
      "savings refreshed",
    );
  } catch (err) {
    log.warn({ err, runId: run.runId }, "savings refresh after reconciliation failed");
  }
}
