import type { GroupPlan } from "../../db/writes/run-groups.js";
import { describeRejected, rejectedByServiceId, type RejectedInstance } from "../../hostwinds/instance-list.js";
import type { ListedInstance } from "../../hostwinds/schemas.js";
import type { Logger } from "../../logger.js";
import type { PriceResult } from "../../pricing/monthly-price.js";
import type { JobContext } from "../context.js";
import { checkFleet, type FleetCheck } from "./fleet-check.js";
import { planGroups } from "./plan-groups.js";

/** What a run prices its chunks from. */
export interface RunInputs {
  instances: Map<number, ListedInstance>;
  /** Why elements of get_instances that could not be read were rejected, by the serviceid they name. */
  rejected: Map<number, string>;
  rejectedCount: number;
  groups: Map<string, GroupPlan>;
  known: Map<number, PriceResult>;
  /** The listing compared with the VPS rows: untracked instances and the ghost check (docs/untracked.md). */
  check: FleetCheck;
}

/**
 * The fleet (get_instances) and a fresh catalogue, then the run's plan groups: planned now (learn
 * and verify, recorded with the run), or, for a resumed run, read back as first planned, so the
 * rest of the fleet is priced the same way without paying for the planning twice.
 */
export async function prepareRun(ctx: JobContext, runId: string, log: Logger): Promise<RunInputs> {
  // Read before the listing: a VPS row changed after this instant is not judged against it.
  const listedAt = await ctx.repos.untracked.clock();
  // The client keeps only what pricing and the untracked check read (see listedInstanceSchema), element by element.
  const listed = await ctx.hostwindsBulk.getInstances();
  const catalogue = await ctx.catalogue.refresh(() => ctx.hostwindsBulk.getPriceList());
  await ctx.repos.runs.addCalls(runId, { list: 2 });
  logRejected(log, runId, listed.rejected);
  const rejected = rejectedByServiceId(listed.rejected);
  // Every listed instance's host name, tracked or not: invoice lines naming only a host match through it.
  await ctx.repos.untracked.recordListed(
    runId,
    listed.instances.map((i) => ({
      serviceid: String(i.serviceid),
      hostname: i.hostname ?? null,
      status: i.status ?? null,
    })),
  );
  const referenced = await ctx.repos.untracked.referencedServiceIds();
  const fleet = {
    instances: new Map(listed.instances.map((i) => [i.serviceid, i])),
    rejected,
    rejectedCount: listed.rejected.length,
    check: checkFleet({ listed, rejected, referenced, listedAt }),
  };
  const recorded = await ctx.repos.runs.loadGroups(runId);
  if (recorded.length > 0) return { ...fleet, groups: new Map(recorded.map((g) => [g.key, g])), known: new Map() };
  // Untracked instances are priced like any VPS, so their plans are learned with the rest.
  const needed = await ctx.repos.vps.pricedServiceIds();
  for (const i of fleet.check.untracked) needed.add(i.serviceid);
  const planned = await planGroups({
    hostwinds: ctx.hostwindsBulk,
    catalogue: catalogue.options,
    instances: listed.instances,
    needed,
    samplePercent: ctx.cfg.HOSTWINDS_VERIFY_SAMPLE_PERCENT,
    concurrency: ctx.reconcileConcurrency,
  });
  await ctx.repos.runs.recordGroups(runId, planned);
  await ctx.repos.runs.addCalls(runId, planned.calls);
  for (const m of planned.mismatches) log.warn({ runId, ...m }, "catalogue mismatch: group priced per instance");
  // What event syncs price new instances from, until the next run learns again. A group priced one
  // VPS at a time (a catalogue mismatch: account-specific prices) is marked so: event syncs then
  // price its members and new rows from their own price lists, never from the catalogue.
  const learnedAt = Date.now();
  for (const g of planned.groups)
    if (g.mode === "catalogue" && g.plan) await ctx.plans.set(g.key, { option: g.plan, learnedAt });
    else await ctx.plans.set(g.key, { perInstance: g.reason ?? "priced per instance", learnedAt });
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
