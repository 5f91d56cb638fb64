import type { PriceWatchStore } from "../../db/writes/price-watch.js";
import { HostwindsError } from "../../hostwinds/errors.js";
import type { PriceOption } from "../../hostwinds/schemas.js";
import type { Logger } from "../../logger.js";
import { cataloguePrices, priceChanges, type PriceChange } from "./compare.js";
import { judgeMember } from "./verify-member.js";

/**
 * The daily price watch (docs/hostwinds-client.md, "The daily price watch"), one use case for the
 * scheduled job and `cost-sync prices watch`: the catalogue (1 call) compared with the copy kept by
 * the previous run; the first run keeps a baseline and reports nothing. Each changed plan and
 * cycle is recorded with a fleet-level `catalogue price change` anomaly and the number of VPS
 * priced on it; one of them is asked its own price (1 call per changed plan and cycle with members).
 * Nothing is repriced from the catalogue: only when that member confirms the new price are the
 * members queued to be repriced, each from its own answer.
 */

export interface PriceWatchDeps {
  hostwinds: { getPriceList(serviceid?: number): Promise<PriceOption[]> };
  store: Pick<PriceWatchStore, "open" | "compareAndRecord" | "members" | "confirm" | "complete" | "fail">;
  /** Queues one VPS to be repriced from its own get_price_list(serviceid). */
  reprice: (vpsId: string, reason: string) => Promise<unknown>;
  log: Logger;
}

/** One change as `prices watch --json` prints it (plus what was done about it). */
export interface WatchedChange {
  rid: string;
  cycle: string;
  oldPrice: string;
  newPrice: string;
  vpsOnPlan: number;
  confirmed: boolean | null;
  note: string | null;
  repriced: number;
}

export interface PriceWatchResult {
  runId: string;
  baseline: boolean;
  /** Plan and cycle prices read from the catalogue. */
  prices: number;
  /** Hostwinds calls the run made (counted with the run, and in the request metrics). */
  calls: number;
  changes: WatchedChange[];
}

export async function watchPrices(deps: PriceWatchDeps, trigger: "schedule" | "manual"): Promise<PriceWatchResult> {
  const runId = await deps.store.open(trigger);
  let calls = 0;
  try {
    calls++;
    const prices = cataloguePrices(await deps.hostwinds.getPriceList());
    const recorded = await deps.store.compareAndRecord({
      runId,
      prices,
      compare: (previous) => ({ changes: previous.length === 0 ? [] : priceChanges(previous, prices) }),
    });
    const changes: WatchedChange[] = [];
    for (const c of recorded.changes) {
      const base = { ...c, confirmed: null, note: null, repriced: 0 };
      if (c.verifyServiceid === null) {
        changes.push({ ...base, note: "no VPS priced on this plan and cycle to ask" });
        continue;
      }
      calls++;
      changes.push(await verify(deps, { change: c, id: c.id, serviceid: c.verifyServiceid, base }));
    }
    const baseline = recorded.baseline;
    await deps.store.complete(runId, { baseline, prices: prices.length, changes: changes.length, calls });
    for (const c of changes) deps.log.warn({ runId, ...c }, "catalogue price change");
    return { runId, baseline, prices: prices.length, calls, changes: changes.map(strip) };
  } catch (err) {
    await deps.store.fail(runId, { calls, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

const strip = ({ rid, cycle, oldPrice, newPrice, vpsOnPlan, confirmed, note, repriced }: WatchedChange) => ({
  ...{ rid, cycle, oldPrice, newPrice, vpsOnPlan, confirmed, note, repriced },
});

/** Asks one member its own price; when it confirms, queues every member to be repriced from its own answer. */
async function verify(
  deps: PriceWatchDeps,
  o: { change: PriceChange; id: string; serviceid: string; base: WatchedChange },
): Promise<WatchedChange> {
  let verdict;
  try {
    verdict = judgeMember(o.change, o.serviceid, await deps.hostwinds.getPriceList(Number(o.serviceid)));
  } catch (err) {
    // An answer about that member alone (unknown serviceid, a shape we cannot read): the change stays unconfirmed.
    if (!(err instanceof HostwindsError) || (err.kind !== "input" && err.kind !== "invalid_response")) throw err;
    verdict = { confirmed: null, note: `serviceid ${o.serviceid}: ${err.message}` };
  }
  await deps.store.confirm(o.id, { ...verdict, serviceid: o.serviceid });
  let repriced = 0;
  if (verdict.confirmed === true) {
    const reason = `catalogue price change: rid ${o.change.rid} ${o.change.cycle} ${o.change.oldPrice} -> ${o.change.newPrice}, confirmed by serviceid ${o.serviceid}`;
    for (const m of await deps.store.members(o.change.rid, o.change.cycle)) {
      await deps.reprice(m.vpsId, reason);
      repriced++;
    }
  }
  return { ...o.base, confirmed: verdict.confirmed, note: verdict.note, repriced };
}
