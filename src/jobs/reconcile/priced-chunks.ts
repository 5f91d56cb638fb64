import type { Repositories } from "../../db/repositories.js";
import type { PricedChunk } from "../../db/writes/run-chunk.js";
import type { VpsCost, VpsRow, VpsUnpriced } from "../../db/writes/vps-costs.js";
import type { ListedInstance } from "../../hostwinds/schemas.js";
import type { HostwindsReader } from "../context.js";
import { classify, ShutdownError } from "../failure-policy.js";
import { mapLimit } from "../../map-limit.js";
import { groupKey, priceFromPlan } from "../../pricing/catalogue.js";
import type { PriceResult } from "../../pricing/monthly-price.js";
import type { GroupPlan } from "../../db/writes/run-groups.js";
import { decideFromHostwinds, decideFromPrice, decideLocally, serviceIdOf, type VpsDecision } from "../vps-decision.js";

export interface ChunkWalk {
  repos: Pick<Repositories, "vps">;
  hostwinds: Pick<HostwindsReader, "getPriceList">;
  /** get_instances of this run, by serviceid: every instance's cycle, fetched once. */
  instances: ReadonlyMap<number, ListedInstance>;
  /** How each group is priced (see plan-groups.ts), by group key. */
  groups: ReadonlyMap<string, GroupPlan>;
  /** Per-instance prices the planning already fetched. */
  known: ReadonlyMap<number, PriceResult>;
  /** Why get_instances' elements that could not be read were rejected, by the serviceid they name. */
  rejected: ReadonlyMap<number, string>;
  /** Resume after this VPS id (the run's committed cursor); null from the start. */
  after: string | null;
  chunkSize: number;
  /** Hostwinds requests in flight within a chunk (still bounded by the shared budget). */
  concurrency: number;
  /** Aborted when the worker is asked to stop: pricing ends at the next call, nothing half-priced is committed. */
  stop: AbortSignal;
}

/**
 * The fleet, walked in VPS id order and priced chunk by chunk. Pipelined: while the caller
 * commits one chunk, the next one is already being priced. The caller's cursor only moves when a
 * chunk commits, so a crash loses no work and repeats none.
 */
export async function* pricedChunks(walk: ChunkWalk): AsyncGenerator<PricedChunk> {
  let next = priceAfter(walk, walk.after);
  try {
    for (;;) {
      const chunk = await next;
      const cursor = chunk?.vpsIds.at(-1);
      if (!chunk || cursor === undefined) return;
      next = priceAfter(walk, cursor);
      yield chunk;
    }
  } finally {
    // The caller stopped (a failed commit, a shutdown): settle the prefetch before giving up.
    await next.catch(() => undefined);
  }
}

async function priceAfter(walk: ChunkWalk, after: string | null): Promise<PricedChunk | undefined> {
  const rows = await walk.repos.vps.loadChunk({ after, size: walk.chunkSize });
  if (rows.length === 0) return undefined;
  let calls = 0;
  // A failure about the whole run (the key refused, Hostwinds down) ends the chunk: its other calls are not sent.
  const halt = new AbortController();
  const decisions = await mapLimit(rows, walk.concurrency, async (row) => {
    if (walk.stop.aborted) throw new ShutdownError();
    halt.signal.throwIfAborted();
    const d = await priceOne(walk, row).catch((err: unknown) => {
      halt.abort(err);
      throw err;
    });
    calls += d.calls;
    return d.decision;
  });
  const costs: VpsCost[] = [];
  const unpriced: VpsUnpriced[] = [];
  rows.forEach((row, i) => {
    const d = decisions[i];
    // The facts each decision rested on go with it: the commit re-checks them row by row.
    const facts = { serviceId: row.serviceId, status: row.status, overrideCents: row.overrideCents };
    if (d?.kind === "cost") costs.push({ id: row.id, cents: d.cents, source: d.source, facts });
    else if (d) unpriced.push({ id: row.id, reason: d.reason, facts });
  });
  return { vpsIds: rows.map((r) => r.id), costs, unpriced, calls };
}

/** One VPS: locally when possible, else as its listed instance. An answer about this VPS alone makes it unpriced. */
async function priceOne(walk: ChunkWalk, row: VpsRow): Promise<{ decision: VpsDecision; calls: number }> {
  const local = decideLocally(row);
  if (local) return { decision: local, calls: 0 };
  const sid = serviceIdOf(row) ?? 0;
  const instance = walk.instances.get(sid);
  if (!instance) {
    const reason = walk.rejected.get(sid) ?? `serviceid ${String(sid)} not in get_instances`;
    return { decision: { kind: "unpriced", reason }, calls: 0 };
  }
  return priceListed(walk, instance);
}

/**
 * One listed instance, within the run's budget: from an answer the planning already has, else from
 * its group's plan when the group is priced from the catalogue (no call), else from its own price
 * list (one call). Untracked instances are priced the same way (record-untracked.ts).
 */
export async function priceListed(
  walk: Pick<ChunkWalk, "hostwinds" | "groups" | "known">,
  instance: ListedInstance,
): Promise<{ decision: VpsDecision; calls: number }> {
  const sid = instance.serviceid;
  const known = walk.known.get(sid);
  if (known) return { decision: decideFromPrice(known), calls: 0 };
  const key = groupKey(instance);
  const group = key === undefined ? undefined : walk.groups.get(key);
  if (group?.mode === "catalogue" && group.plan)
    return { decision: decideFromPrice(priceFromPlan(group.plan, instance)), calls: 0 };
  try {
    return { decision: decideFromHostwinds(instance, await walk.hostwinds.getPriceList(sid)), calls: 1 };
  } catch (err) {
    const failure = classify(err);
    // Anything but an answer about this VPS concerns the whole run: the job layer decides.
    if (failure.action !== "unpriced") throw err;
    return { decision: { kind: "unpriced", reason: failure.reason }, calls: 1 };
  }
}
