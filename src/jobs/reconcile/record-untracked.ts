import type { UntrackedFigures, UntrackedInstance } from "../../db/writes/untracked.js";
import type { ListedInstance } from "../../hostwinds/schemas.js";
import type { Logger } from "../../logger.js";
import { formatCents } from "../../money.js";
import type { JobContext } from "../context.js";
import { ShutdownError } from "../failure-policy.js";
import { mapLimit } from "../../map-limit.js";
import type { VpsDecision } from "../vps-decision.js";
import type { FleetCheck } from "./fleet-check.js";
import { priceListed, type ChunkWalk } from "./priced-chunks.js";

/** Untracked instances priced and recorded per batch: an interrupted run keeps what it paid for. */
const BATCH = 500;

export interface FleetCheckRun {
  runId: string;
  check: FleetCheck;
  /** The run's pricing: its groups, the answers its planning fetched, the bulk Hostwinds reader. */
  pricing: Pick<ChunkWalk, "hostwinds" | "groups" | "known" | "concurrency">;
}

export type FleetFigures = UntrackedFigures & { ghostRows: number | null; calls: number };

/**
 * After the chunks: prices the untracked instances like any VPS, within the run's budget (an
 * instance on a plan priced from the catalogue costs no call), records them, sets the run's
 * figures, and records the ghost rows. Idempotent: a resumed run skips what it already recorded.
 */
export async function recordFleetCheck(ctx: JobContext, r: FleetCheckRun, log: Logger): Promise<FleetFigures> {
  const done = await ctx.repos.untracked.recorded(r.runId);
  const todo = r.check.untracked.filter((i) => !done.has(String(i.serviceid)));
  let calls = 0;
  for (let at = 0; at < todo.length; at += BATCH) {
    if (ctx.shutdown.aborted) throw new ShutdownError();
    const batch = todo.slice(at, at + BATCH);
    const priced = await mapLimit(batch, r.pricing.concurrency, async (i) => {
      const p = await priceListed(r.pricing, i);
      return { item: untrackedRow(i, p.decision), calls: p.calls };
    });
    const batchCalls = priced.reduce((n, p) => n + p.calls, 0);
    await ctx.repos.untracked.record(
      r.runId,
      priced.map((p) => p.item),
    );
    await ctx.repos.runs.addCalls(r.runId, { fallback: batchCalls });
    calls += batchCalls;
  }
  const unreadable = r.check.unreadable.filter((u) => !done.has(u.serviceid)).map(unreadableRow);
  if (unreadable.length > 0) await ctx.repos.untracked.record(r.runId, unreadable);
  const listed = [...r.check.untracked.map((i) => String(i.serviceid)), ...r.check.unreadable.map((u) => u.serviceid)];
  const figures = await ctx.repos.untracked.summarise(r.runId, listed);
  const ghostRows = await ctx.repos.untracked.recordGhosts({ runId: r.runId, ...r.check.ghosts });
  if (r.check.notChecked) log.warn({ runId: r.runId, reason: r.check.notChecked }, "ghost rows not checked");
  const level = figures.instances > 0 || (ghostRows ?? 0) > 0 ? "warn" : "info";
  log[level]({ runId: r.runId, ...figures, ghostRows, calls }, "untracked instances and ghost rows");
  return { ...figures, ghostRows, calls };
}

function untrackedRow(i: ListedInstance, d: VpsDecision): UntrackedInstance {
  const priced = d.kind === "cost";
  return {
    serviceid: String(i.serviceid),
    hostname: i.hostname ?? null,
    mainIp: i.main_ip ?? null,
    plan: i.product_name ?? (i.product_id === undefined ? null : `product ${i.product_id}`),
    status: i.status ?? null,
    monthlyCost: priced ? formatCents(d.cents) : null,
    unpricedReason: priced ? null : d.reason,
  };
}

function unreadableRow(u: { serviceid: string; reason: string }): UntrackedInstance {
  const none = { hostname: null, mainIp: null, plan: null, status: null, monthlyCost: null };
  return { serviceid: u.serviceid, ...none, unpricedReason: u.reason };
}
