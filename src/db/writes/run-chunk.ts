import type { Db } from "../client.js";
import type { AnomalyRule, WriteContext } from "./cost-writes.js";
import { repriceIps } from "./ip-costs.js";
import { execute, pgTransaction, statement } from "../sql.js";
import { markVpsUnpriced, writeVpsCosts, type VpsCost, type VpsUnpriced } from "./vps-costs.js";

/** One priced chunk of a reconciliation, ready to commit. */
export interface PricedChunk {
  /** The chunk's VPS ids, in walk order; the last one is the new cursor. */
  vpsIds: readonly string[];
  costs: readonly VpsCost[];
  unpriced: readonly VpsUnpriced[];
  calls: number;
}

export interface CommitOptions {
  run: { id: string; anomaly: AnomalyRule };
  chunk: PricedChunk;
  constantCents: bigint;
  write: WriteContext;
}

/** What one committed chunk did. */
export interface ChunkCommitted {
  anomalies: number;
  vpsSkipped: number;
  ipSkipped: number;
}

const ADVANCE = statement<{
  runId: string;
  cursor: string;
  checked: number;
  changed: number;
  unpriced: number;
  calls: number;
  ipChecked: number;
  ipChanged: number;
  vpsSkipped: number;
  ipSkipped: number;
}>("runs/advance");
const RECORD_UNPRICED = statement<{ runId: string; ids: string[]; reasons: string[] }>("runs/record-unpriced");

/**
 * One chunk in one transaction: the VPS costs and unpriced reasons (each re-checking the facts it
 * was decided on), their IPs (which depend on the VPS's status and the constant), anomalies of
 * both, the unpriced list of the run, and the run's cursor and tallies. Cursor and writes move
 * together, so a retry resumes exactly after the last committed chunk.
 */
export async function commitChunk(db: Db, o: CommitOptions): Promise<ChunkCommitted> {
  const cursor = o.chunk.vpsIds.at(-1);
  if (cursor === undefined) return { anomalies: 0, vpsSkipped: 0, ipSkipped: 0 };
  return pgTransaction(
    db,
    async (tx) => {
      const vps = await writeVpsCosts(tx, o.chunk.costs, { write: o.write, anomaly: o.run.anomaly });
      const marked = await markVpsUnpriced(tx, o.chunk.unpriced);
      const unpriced = o.chunk.unpriced.filter((u) => !marked.skipped.includes(u.id));
      await execute(tx, RECORD_UNPRICED, {
        runId: o.run.id,
        ids: unpriced.map((u) => u.id),
        reasons: unpriced.map((u) => u.reason),
      });
      const ipOptions = { constantCents: o.constantCents, write: o.write, anomaly: o.run.anomaly };
      const ips = await repriceIps(tx, { vpsIds: o.chunk.vpsIds }, ipOptions);
      const vpsSkipped = vps.skipped.length + marked.skipped.length;
      await execute(tx, ADVANCE, {
        runId: o.run.id,
        cursor,
        checked: o.chunk.vpsIds.length,
        changed: vps.changes.length,
        unpriced: unpriced.length,
        calls: o.chunk.calls,
        ipChecked: ips.checked,
        ipChanged: ips.changed,
        vpsSkipped,
        ipSkipped: ips.skipped,
      });
      return { anomalies: vps.anomalies + ips.anomalies, vpsSkipped, ipSkipped: ips.skipped };
    },
    { timeout: 60_000 },
  );
}
