import { formatCents } from "../../money.js";
import { Prisma, type Db, type SqlRunner } from "../client.js";
import {
  anomalyCte,
  changesJson,
  historyCte,
  ipRule,
  toChanges,
  type AnomalyRule,
  type ChangeRow,
  type CostChange,
  type WriteContext,
} from "./cost-fragments.js";
import { pgTransaction, query, statement } from "../sql.js";

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

function scopeFilter(scope: IpScope): Prisma.Sql {
  if ("orphans" in scope) return Prisma.sql`i.vps_instance_id IS NULL`;
  if ("ipIds" in scope) return Prisma.sql`i.id = ANY(${[...scope.ipIds]}::uuid[])`;
  return Prisma.sql`i.vps_instance_id = ANY(${[...scope.vpsIds]}::uuid[])`;
}

/**
 * Reprices some IPs by the one IP rule, in one statement with their history and anomalies. The
 * rows are locked first so that history's old values are exact. Every IP at once is
 * `repriceAllIps`.
 */
export async function repriceIps(db: SqlRunner, scope: IpScope, o: RepriceIpsOptions): Promise<IpRepricing> {
  const rule = ipRule(formatCents(o.constantCents));
  const [r] = await db.$queryRaw<
    { checked: number; changed: number; skipped: number; anomalies: number; changes: ChangeRow[] | null }[]
  >(Prisma.sql`
    WITH target AS (
       SELECT i.id, i.approximate_cost AS old_value, ${rule.value} AS new_value, ${rule.source} AS source, ${rule.stale} AS stale
         FROM smtp_ip_addresses i LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
        WHERE ${scopeFilter(scope)}
        ORDER BY i.id FOR UPDATE OF i
     ),
     upd AS (
       UPDATE smtp_ip_addresses i
          SET approximate_cost = t.new_value, approximate_cost_source = t.source,
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM target t
        WHERE i.id = t.id AND NOT t.stale
          AND (i.approximate_cost IS DISTINCT FROM t.new_value OR i.approximate_cost_source IS DISTINCT FROM t.source)
       RETURNING i.id, t.old_value, i.approximate_cost AS new_value, t.source
     ),
     changed AS (SELECT * FROM upd WHERE old_value IS DISTINCT FROM new_value),
     ${historyCte("ip", o.write)},
     ${anomalyCte("ip", o.anomaly)}
    SELECT (SELECT count(*) FROM target)::int AS checked, (SELECT count(*) FROM changed)::int AS changed,
           (SELECT count(*) FROM target WHERE stale)::int AS skipped, (SELECT count(*) FROM anom)::int AS anomalies,
           CASE WHEN ${o.returnChanges === true}::boolean THEN ${changesJson} END AS changes`);
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
): Promise<{ checked: number; changed: number; skipped: number }> {
  const constant = formatCents(constantCents);
  const shares = await Promise.allSettled(
    Array.from({ length: o.parallelism }, (_, k) =>
      pgTransaction(db, (tx) => repriceIpShare(tx, { share: k, of: o.parallelism, constant, ...o }), {
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
  constant: string;
  write: WriteContext;
  mayRepeat: boolean;
}

async function repriceIpShare(
  tx: SqlRunner,
  o: ShareOptions,
): Promise<{ checked: number; changed: number; skipped: number }> {
  const share = Prisma.sql`mod(uuid_hash(i.id) & 2147483647, ${o.of}::int) = ${o.share}::int`;
  const rule = ipRule(o.constant);
  const from = Prisma.sql`t WHERE NOT stale AND old_value IS DISTINCT FROM new_value ORDER BY id`;
  const [h] = await tx.$queryRaw<{ checked: number; changed: number; skipped: number }[]>(Prisma.sql`
    WITH t AS (
       SELECT i.id, i.approximate_cost AS old_value, ${rule.value} AS new_value, ${rule.source} AS source, ${rule.stale} AS stale
         FROM smtp_ip_addresses i LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
        WHERE ${share}
     ),
     ${historyCte("ip", o.write, { from, skipDuplicates: o.mayRepeat })}
    SELECT count(*)::int AS checked, count(*) FILTER (WHERE NOT stale AND old_value IS DISTINCT FROM new_value)::int AS changed,
           count(*) FILTER (WHERE stale)::int AS skipped FROM t`);
  // The same rule and guard as the history above, in two statements so that the large one joins
  // VPS rather than the IP table to itself. IPs with no VPS meet a one-row stand-in of NULLs.
  const vpsSides = [
    Prisma.sql`vps_instances v WHERE v.id = i.vps_instance_id`,
    Prisma.sql`(SELECT NULL::uuid AS id, NULL::text AS status) v WHERE i.vps_instance_id IS NULL`,
  ];
  for (const vps of vpsSides) {
    await tx.$executeRaw(Prisma.sql`
      UPDATE smtp_ip_addresses i
         SET approximate_cost = ${rule.value}, approximate_cost_source = ${rule.source},
             approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
        FROM ${vps} AND ${share} AND NOT ${rule.stale}
         AND (i.approximate_cost, i.approximate_cost_source) IS DISTINCT FROM (${rule.value}, ${rule.source})`);
  }
  return { checked: h?.checked ?? 0, changed: h?.changed ?? 0, skipped: h?.skipped ?? 0 };
}
