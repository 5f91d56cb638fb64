import type { Db, SqlRunner } from "../client.js";
import {
  anomalyParams,
  historyParams,
  ipRuleParams,
  toChanges,
  type AnomalyParams,
  type AnomalyRule,
  type ChangeRow,
  type CostChange,
  type HistoryParams,
  type IpRuleParams,
  type WriteContext,
} from "./cost-writes.js";
import { execute, pgTransaction, query, statement, type Statement } from "../sql.js";

/** Which IPs to reprice. */
export type IpScope = { ipIds: readonly string[] } | { vpsIds: readonly string[] } | { orphans: true };

export interface IpRepricing {
  checked: number;
  changed: number;
  /** IPs that would have taken a constant Finance has changed since it was read: left for the repricing of the new one. */
  skipped: number;
  anomalies: number;
  /** The changes themselves, only when asked for (`returnChanges`): a run may touch 300k rows. */
  changes: CostChange[];
}

export interface RepriceIpsOptions {
  /** The IP constant, already validated. */
  constantCents: bigint;
  write: WriteContext;
  anomaly?: AnomalyRule;
  returnChanges?: boolean;
}

const EXISTS = statement<{ id: string }, { found: boolean }>("ip/exists");

export async function ipExists(db: SqlRunner, id: string): Promise<boolean> {
  const [row] = await query(db, EXISTS, { id });
  return row?.found === true;
}

type Counts = { checked: number; changed: number; skipped: number };
type RepriceParams = HistoryParams & AnomalyParams & IpRuleParams & { returnChanges: boolean };
type RepriceRow = Counts & { anomalies: number; changes: ChangeRow[] | null };
const repriceBy = <P>(name: string) => statement<RepriceParams & P, RepriceRow>(name);

/** One statement per scope (`ip/reprice-*.sql`): they differ only in which IPs they take. */
const REPRICE = {
  ipIds: repriceBy<{ ipIds: string[] }>("ip/reprice-ips"),
  vpsIds: repriceBy<{ vpsIds: string[] }>("ip/reprice-vps-ips"),
  orphans: repriceBy<unknown>("ip/reprice-orphan-ips"),
};

/**
 * Reprices some IPs by the one IP rule, in one statement with their history and anomalies. The
 * rows are locked first so that history's old values are exact. Every IP at once is
 * `repriceAllIps`.
 */
export async function repriceIps(db: SqlRunner, scope: IpScope, o: RepriceIpsOptions): Promise<IpRepricing> {
  const params: RepriceParams = {
    ...ipRuleParams(o.constantCents),
    ...historyParams("ip", o.write),
    ...anomalyParams(o.anomaly),
    returnChanges: o.returnChanges === true,
  };
  const [r] =
    "orphans" in scope
      ? await query(db, REPRICE.orphans, params)
      : "ipIds" in scope
        ? await query(db, REPRICE.ipIds, { ...params, ipIds: [...scope.ipIds] })
        : await query(db, REPRICE.vpsIds, { ...params, vpsIds: [...scope.vpsIds] });
  return {
    checked: r?.checked ?? 0,
    changed: r?.changed ?? 0,
    skipped: r?.skipped ?? 0,
    anomalies: r?.anomalies ?? 0,
    changes: toChanges(r?.changes ?? []),
  };
}

export interface RepriceAllOptions {
  /** Transactions run side by side, each on its own share of the IPs (about one per database core). */
  parallelism: number;
  /**
   * False on a job's first attempt: no history row can carry its key yet, so the insert skips
   * ON CONFLICT's per-row speculative insertion (a third of the history cost). Should the unique
   * key still be hit, the transaction fails and the retry runs with ON CONFLICT DO NOTHING.
   */
  mayRepeat: boolean;
}

/**
 * Every IP: the bulk path behind a change of the IP constant. The IPs are split by a hash of their
 * id into `parallelism` shares, each repriced in its own REPEATABLE READ transaction on its own
 * connection, so the database spreads the work over its cores. Within a share, history is written
 * first from the transaction's snapshot (sorted by id, which keeps the history index's inserts
 * local), then the rows are updated; a concurrent change to any of them makes the UPDATE fail with
 * a serialisation error, rolling the share back, so history's old values are exact. A share that
 * fails is retried by the job (the committed ones are then no-ops).
 */
export async function repriceAllIps(
  db: Db,
  constantCents: bigint,
  o: RepriceAllOptions & { write: WriteContext },
): Promise<Counts> {
  const shares = await Promise.allSettled(
    Array.from({ length: o.parallelism }, (_, k) =>
      pgTransaction(db, (tx) => repriceIpShare(tx, { share: k, of: o.parallelism, constantCents, ...o }), {
        isolation: "RepeatableRead",
        timeout: 10 * 60_000,
        maxWait: 30_000,
      }),
    ),
  );
  const failed = shares.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return shares
    .flatMap((r) => (r.status === "fulfilled" ? [r.value] : []))
    .reduce(
      (a, d) => ({ checked: a.checked + d.checked, changed: a.changed + d.changed, skipped: a.skipped + d.skipped }),
      { checked: 0, changed: 0, skipped: 0 },
    );
}

interface ShareOptions {
  share: number;
  of: number;
  constantCents: bigint;
  write: WriteContext;
  mayRepeat: boolean;
}

type ShareParams = HistoryParams & IpRuleParams & { share: number; of: number };
/** The history of a share, with ON CONFLICT DO NOTHING on a retry only (RepriceAllOptions.mayRepeat). */
const SHARE_HISTORY = {
  repeat: statement<ShareParams, Counts>("ip/reprice-share-history"),
  first: statement<ShareParams, Counts>("ip/reprice-share-history-first"),
};
/** Then its rows, in two statements so that the large one joins VPS rather than the IP table to itself. */
const SHARE_UPDATES: readonly Statement<Omit<ShareParams, keyof HistoryParams>>[] = [
  statement("ip/reprice-share-vps"),
  statement("ip/reprice-share-no-vps"),
];

async function repriceIpShare(tx: SqlRunner, o: ShareOptions): Promise<Counts> {
  const scope = { share: o.share, of: o.of, ...ipRuleParams(o.constantCents) };
  const history = o.mayRepeat ? SHARE_HISTORY.repeat : SHARE_HISTORY.first;
  const [h] = await query(tx, history, { ...scope, ...historyParams("ip", o.write) });
  for (const update of SHARE_UPDATES) await execute(tx, update, scope);
  return { checked: h?.checked ?? 0, changed: h?.changed ?? 0, skipped: h?.skipped ?? 0 };
}
