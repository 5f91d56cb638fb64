import type { GroupPlan } from "../../db/run-groups.js";
import { describeRejected, rejectedByServiceId, type RejectedInstance } from "../../hostwinds/instance-list.js";
import type { ListedInstance } from "../../hostwinds/schemas.js";
import type { Logger } from "../../logger.js";
import type { PriceResult } from "../../pricing/monthly-price.js";
import type { JobContext } from "../context.js";
import { planGroups } from "./plan-groups.js";

/** What a run prices its chunks from. */
export interface RunInputs {
  instances: Map<number, ListedInstance>;
  /** Why elements of get_instances that could not be read were rejected, by the serviceid they name. */
  rejected: Map<number, string>;
  rejectedCount: number;
  groups: Map<string, GroupPlan>;
  known: Map<number, PriceResult>;
}

/**
 * The fleet (get_instances) and a fresh catalogue, then the run's plan groups: planned now (learn
 * and verify, recorded with the run), or, for a resumed run, read back as first planned, so the
 * rest of the fleet is priced the same way without paying for the planning twice.
 */
export async function prepareRun(ctx: JobContext, runId: string, log: Logger): Promise<RunInputs> {
  // The client already keeps only what pricing reads (see listedInstanceSchema), element by element.
  const listed = await ctx.hostwindsBulk.getInstances();
  const catalogue = await ctx.catalogue.refresh(() => ctx.hostwindsBulk.getPriceList());
  await ctx.repos.runs.addCalls(runId, { list: 2 });
  logRejected(log, runId, listed.rejected);
  const fleet = {
    instances: new Map(listed.instances.map((i) => [i.serviceid, i])),
    rejected: rejectedByServiceId(listed.rejected),
    rejectedCount: listed.rejected.length,
  };
  const recorded = await ctx.repos.runs.loadGroups(runId);
  if (recorded.length > 0) return { ...fleet, groups: new Map(recorded.map((g) => [g.key, g])), known: new Map() };
  const planned = await planGroups({
    hostwinds: ctx.hostwindsBulk,
    catalogue: catalogue.options,
    instances: listed.instances,
    needed: await ctx.repos.vps.pricedServiceIds(),
    samplePercent: ctx.cfg.HOSTWINDS_VERIFY_SAMPLE_PERCENT,
    concurrency: ctx.reconcileConcurrency,
  });
  await ctx.repos.runs.recordGroups(runId, planned);
  await ctx.repos.runs.addCalls(runId, planned.calls);
  for (const m of planned.mismatches) log.warn({ runId, ...m }, "catalogue mismatch: group priced per instance");
  // What event syncs price new instances from, until the next run learns again.
  const learnedAt = Date.now();
  for (const g of planned.groups)
    if (g.mode === "catalogue" && g.plan) await ctx.plans.set(g.key, { option: g.plan, learnedAt });
  const catalogueGroups = planned.groups.filter((g) => g.mode === "catalogue").length;
  log.info(
    { runId, groups: planned.groups.length, catalogueGroups, ...planned.calls },
    "plan groups learned and verified",
  );
  return { ...fleet, groups: new Map(planned.groups.map((g) => [g.key, g])), known: planned.known };
}

/** Elements of get_instances we could not read: their VPS stay unpriced with the reason; the count goes in the log. */
function logRejected(log: Logger, runId: string, rejected: readonly RejectedInstance[]): void {
  if (rejected.length === 0) return;
  const first = rejected.slice(0, 5).map(describeRejected);
  log.warn({ runId, rejectedInstances: rejected.length, first }, "get_instances: elements rejected");
}
