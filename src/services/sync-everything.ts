import type { SqlRunner } from "../db/client.js";
import { listVpsIds } from "../db/writes/vps-costs.js";

/** The queue `sync all` enqueues on (the producer, from the composition root). */
export interface SyncQueue<J> {
  enqueueVpsCostSync(vpsId: string, o: { reason: string; dedupe: boolean }): Promise<J>;
  enqueueIpConstantChanged(o: { reason: string }): Promise<J>;
}

const REASON = "manual re-sync of everything (cli)";

/**
 * `sync all`: a cost sync of every VPS, then one repricing of every IP. `dedupe: false` when the
 * caller waits for the results (a deduplicated job would be another's). Progress every 100 VPS.
 */
export async function enqueueEverySync<J>(
  deps: { db: SqlRunner; queue: SyncQueue<J> },
  o: { dedupe: boolean; onProgress: (done: number, total: number) => void },
): Promise<{ jobs: J[]; vps: number }> {
  const ids = await listVpsIds(deps.db);
  const jobs: J[] = [];
  for (const [i, id] of ids.entries()) {
    jobs.push(await deps.queue.enqueueVpsCostSync(id, { reason: REASON, dedupe: o.dedupe }));
    if (i % 100 === 99) o.onProgress(i + 1, ids.length);
  }
  jobs.push(await deps.queue.enqueueIpConstantChanged({ reason: REASON }));
  return { jobs, vps: ids.length };
}
