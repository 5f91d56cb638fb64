import { centsOf, formatCents } from "../money.js";
import type { Db, SqlRunner } from "./client.js";
import { IP_COST_CONFIG_KEY } from "./objects.js";

/**
 * The only code that writes modelled costs. Every function is one set-based
 * statement that (a) changes only rows whose value actually changes, (b) never
 * replaces an override with anything but the override, and (c) writes the
 * cost_history rows in the same statement, keyed so a retried job cannot
 * record the same change twice.
 */

export interface WriteContext {
  jobId: string;
  reason: string;
}

export interface VpsCost {
  id: string;
  cents: bigint;
  source: string;
}

export interface CostChange {
  id: string;
  oldCents: bigint | null;
  newCents: bigint;
  source: string;
}

type ChangeRow = { id: string; old_value: string | null; new_value: string; source: string };

/**
 * The CTE that writes one cost_history row per row of `from` (by default a
 * `changed` CTE); a retry's duplicate is skipped unless `skipDuplicates` is
 * false (see RepriceAllOptions.mayRepeat).
 */
const historyCte = (kind: "vps" | "ip", reason: string, jobId: string, o: { from?: string; skipDuplicates?: boolean } = {}) => `
     hist AS (
       INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id)
       SELECT '${kind}', id, old_value, new_value, source, ${reason}, ${jobId} FROM ${o.from ?? "changed"}
       ${o.skipDuplicates === false ? "" : "ON CONFLICT DO NOTHING"}
     )`;

/**
 * The CTE that records, among the rows of a `changed` CTE, those beyond both
 * anomaly thresholds (either direction; from 0.00 only the dollar threshold
 * applies) as anomalies of a reconciliation run. Shared by VPS and IP writes;
 * a no-op when the run parameter is NULL.
 */
const anomalyCte = (kind: "vps" | "ip", run: string, usd: string, pct: string) => `
     anom AS (
       INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct)
       SELECT ${run}::uuid, '${kind}', id, old_value, new_value, new_value - COALESCE(old_value, 0),
              CASE WHEN COALESCE(old_value, 0) = 0 THEN NULL ELSE round((new_value - old_value) / old_value * 100, 2) END
         FROM changed
        WHERE ${run}::uuid IS NOT NULL AND abs(new_value - COALESCE(old_value, 0)) >= ${usd}::numeric
          AND (COALESCE(old_value, 0) = 0 OR abs(new_value - old_value) / old_value * 100 >= ${pct}::numeric)
       ON CONFLICT DO NOTHING
       RETURNING 1
     )`;
/**
 * The IP pricing rule, as SQL over `i` (the IP) and `v` (its VPS; all NULL
 * when it has none), with the constant as parameter $1. One definition for
 * every IP write, so targeted syncs and the bulk repricing cannot disagree.
 */
const IP_RULE = {
  value: `CASE WHEN i.approximate_cost_override IS NOT NULL THEN i.approximate_cost_override
               WHEN v.id IS NULL OR v.status = 'decommissioned' THEN 0.00
               ELSE $1::numeric END`,
  source: `CASE WHEN i.approximate_cost_override IS NOT NULL THEN 'override'
                WHEN v.id IS NULL THEN 'no vps'
                WHEN v.status = 'decommissioned' THEN 'vps decommissioned'
                ELSE 'system_config ${IP_COST_CONFIG_KEY}' END`,
};

const toChanges = (rows: ChangeRow[]): CostChange[] =>
  rows.map((r) => ({ id: r.id, oldCents: centsOf(r.old_value), newCents: centsOf(r.new_value)!, source: r.source }));

/** Sets VPS costs. A VPS with an override accepts only its override (source "override"). */
export async function writeVpsCosts(db: SqlRunner, costs: readonly VpsCost[], ctx: WriteContext, anomaly?: AnomalyRule): Promise<{ changes: CostChange[]; anomalies: number }> {
  if (costs.length === 0) return { changes: [], anomalies: 0 };
  const rows = await db.$queryRawUnsafe<(ChangeRow & { anomalies: string })[]>(
    `WITH u AS (SELECT * FROM unnest($1::uuid[], $2::numeric[], $3::text[]) AS u(id, cost, source)),
     old AS (SELECT v.id, v.approximate_cost FROM vps_instances v JOIN u ON u.id = v.id ORDER BY v.id FOR UPDATE OF v),
     upd AS (
       UPDATE vps_instances v
          SET approximate_cost = u.cost, approximate_cost_source = u.source,
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM u JOIN old ON old.id = u.id
        WHERE v.id = u.id
          AND (v.approximate_cost_override IS NULL OR (u.source = 'override' AND u.cost = v.approximate_cost_override))
          AND (v.approximate_cost IS DISTINCT FROM u.cost OR v.approximate_cost_source IS DISTINCT FROM u.source
               OR v.approximate_cost_unpriced_reason IS NOT NULL)
       RETURNING v.id, old.approximate_cost AS old_value, v.approximate_cost AS new_value, u.source
     ),
     changed AS (SELECT * FROM upd WHERE old_value IS DISTINCT FROM new_value),${historyCte("vps", "$4", "$5")},${anomalyCte("vps", "$6", "$7", "$8")}
     SELECT id::text, old_value::text, new_value::text, source, (SELECT count(*) FROM anom)::text AS anomalies FROM changed
     UNION ALL
     SELECT NULL, NULL, NULL, NULL, (SELECT count(*) FROM anom)::text`,
    costs.map((c) => c.id),
    costs.map((c) => formatCents(c.cents)),
    costs.map((c) => c.source),
    ctx.reason,
    ctx.jobId,
    anomaly?.runId ?? null,
    anomaly ? formatCents(anomaly.usdCents) : null,
    anomaly?.percent ?? null,
  );
  return { changes: toChanges(rows.filter((r) => r.id !== null)), anomalies: Number(rows.at(-1)?.anomalies ?? 0) };
}

/** Records why VPS could not be priced; their cost stays as it was. Returns how many rows changed. */
export async function markVpsUnpriced(db: SqlRunner, items: readonly { id: string; reason: string }[]): Promise<number> {
  if (items.length === 0) return 0;
  return db.$executeRawUnsafe(
    `UPDATE vps_instances v SET approximate_cost_unpriced_reason = u.reason, approximate_cost_synced_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS u(id, reason)
      WHERE v.id = u.id AND v.approximate_cost_unpriced_reason IS DISTINCT FROM u.reason`,
    items.map((i) => i.id),
    items.map((i) => i.reason),
  );
}

/** Which IPs to reprice. */
export type IpScope = { ipIds: readonly string[] } | { vpsIds: readonly string[] } | { orphans: true };

/** Flags IP changes beyond both thresholds as anomalies of a reconciliation run, in the same statement. */
export interface AnomalyRule {
  runId: string;
  percent: number;
  usdCents: bigint;
}

export interface IpRepricing {
  checked: number;
  changed: number;
  anomalies: number;
  /** The changes themselves, only when asked for (`returnChanges`): a run may touch 300k rows. */
  changes: CostChange[];
}

/**
 * Reprices IPs: override if set, 0.00 when their VPS is decommissioned (or
 * they have none), else the IP constant (passed in, already validated).
 * The rows are locked first so history's old values are exact. Every IP at
 * once is `repriceAllIps`.
 */
export async function repriceIps(
  db: SqlRunner,
  scope: IpScope,
  constantCents: bigint,
  ctx: WriteContext,
  anomaly?: AnomalyRule,
  returnChanges = false,
): Promise<IpRepricing> {
  const [where, param] =
    "orphans" in scope ? ["$4::uuid[] IS NULL AND i.vps_instance_id IS NULL", null]
    : "ipIds" in scope ? ["i.id = ANY($4::uuid[])", scope.ipIds]
    : ["i.vps_instance_id = ANY($4::uuid[])", scope.vpsIds];
  const rows = await db.$queryRawUnsafe<{ checked: string; changed: string; anomalies: string; changes: ChangeRow[] | null }[]>(
    `WITH target AS (
       SELECT i.id, i.approximate_cost AS old_value, ${IP_RULE.value} AS new_value, ${IP_RULE.source} AS source
         FROM smtp_ip_addresses i LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
        WHERE ${where}
        ORDER BY i.id FOR UPDATE OF i
     ),
     upd AS (
       UPDATE smtp_ip_addresses i
          SET approximate_cost = t.new_value, approximate_cost_source = t.source,
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM target t
        WHERE i.id = t.id AND (i.approximate_cost IS DISTINCT FROM t.new_value OR i.approximate_cost_source IS DISTINCT FROM t.source)
       RETURNING i.id, t.old_value, i.approximate_cost AS new_value, t.source
     ),
     changed AS (SELECT * FROM upd WHERE old_value IS DISTINCT FROM new_value),${historyCte("ip", "$2", "$3")},${anomalyCte("ip", "$5", "$6", "$7")}
     SELECT (SELECT count(*) FROM target)::text AS checked, (SELECT count(*) FROM changed)::text AS changed,
            (SELECT count(*) FROM anom)::text AS anomalies,
            CASE WHEN $8::boolean THEN (SELECT json_agg(json_build_object('id', id, 'old_value', old_value::text, 'new_value', new_value::text, 'source', source)) FROM changed) END AS changes`,
    formatCents(constantCents),
    ctx.reason,
    ctx.jobId,
    param,
    anomaly?.runId ?? null,
    anomaly ? formatCents(anomaly.usdCents) : null,
    anomaly?.percent ?? null,
    returnChanges,
  );
  const r = rows[0]!;
  return { checked: Number(r.checked), changed: Number(r.changed), anomalies: Number(r.anomalies), changes: toChanges(r.changes ?? []) };
}

/** Sets or clears an override and applies it (or, cleared, leaves the repricing to the caller). */
export async function setOverride(
  db: SqlRunner,
  kind: "vps" | "ip",
  id: string,
  cents: bigint | null,
  ctx: WriteContext,
): Promise<CostChange[]> {
  const table = kind === "vps" ? "vps_instances" : "smtp_ip_addresses";
  const rows = await db.$queryRawUnsafe<ChangeRow[]>(
    `WITH old AS (SELECT id, approximate_cost FROM ${table} WHERE id = $1::uuid FOR UPDATE),
     upd AS (
       UPDATE ${table} t SET approximate_cost_override = $2::numeric,
              approximate_cost = COALESCE($2::numeric, t.approximate_cost),
              approximate_cost_source = CASE WHEN $2::numeric IS NULL THEN t.approximate_cost_source ELSE 'override' END,
              approximate_cost_synced_at = now()
         FROM old WHERE t.id = old.id
       RETURNING t.id, old.approximate_cost AS old_value, t.approximate_cost AS new_value, t.approximate_cost_source AS source
     ),
     hist AS (
       INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id)
       SELECT $3, id, old_value, new_value, 'override', $4, $5 FROM upd WHERE old_value IS DISTINCT FROM new_value
       ON CONFLICT DO NOTHING
     )
     SELECT id::text, old_value::text, new_value::text, source FROM upd`,
    id,
    cents === null ? null : formatCents(cents),
    kind,
    ctx.reason,
    ctx.jobId,
  );
  return toChanges(rows);
}

export interface RepriceAllOptions {
  /** Transactions run side by side, each on its own share of the IPs (one per database core is the sweet spot). */
  parallelism: number;
  /**
   * False on a job's first attempt: no history row can carry its key yet, so
   * the insert skips ON CONFLICT's per-row speculative insertion (a third of
   * the history cost). Should the unique key still be hit, the transaction
   * fails and the retry runs with ON CONFLICT DO NOTHING.
   */
  mayRepeat: boolean;
}

/**
 * Every IP: the bulk path behind a change of the IP constant (300k rows).
 * The IPs are split by a hash of their id into `parallelism` shares, each
 * repriced in its own REPEATABLE READ transaction on its own connection, so
 * the database spreads the work over its cores. Within a share, history is
 * written first from the transaction's snapshot (sorted by id, which keeps
 * the history index's inserts local), then the rows are updated; a
 * concurrent change to any of them makes the UPDATE fail with a serialisation
 * error, rolling the share back, so history's old values are exact. A share
 * that fails is retried by the job (the committed ones are then no-ops).
 */
export async function repriceAllIps(db: Db, constantCents: bigint, ctx: WriteContext, o: RepriceAllOptions): Promise<{ checked: number; changed: number }> {
  const n = o.parallelism;
  const shares = await Promise.allSettled(
    Array.from({ length: n }, (_, k) =>
      db.$transaction((tx) => repriceIpShare(tx, k, n, formatCents(constantCents), ctx, o.mayRepeat), {
        isolationLevel: "RepeatableRead",
        timeout: 10 * 60_000,
        maxWait: 30_000,
      }),
    ),
  );
  const failed = shares.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const done = shares.map((r) => (r as PromiseFulfilledResult<{ checked: number; changed: number }>).value);
  return done.reduce((a, d) => ({ checked: a.checked + d.checked, changed: a.changed + d.changed }), { checked: 0, changed: 0 });
}

async function repriceIpShare(tx: SqlRunner, k: number, n: number, constant: string, ctx: WriteContext, mayRepeat: boolean) {
  const share = `mod(uuid_hash(i.id) & 2147483647, ${n}) = ${k}`;
  const [h] = await tx.$queryRawUnsafe<{ checked: string; changed: string }[]>(
    `WITH t AS (
       SELECT i.id, i.approximate_cost AS old_value, ${IP_RULE.value} AS new_value, ${IP_RULE.source} AS source
         FROM smtp_ip_addresses i LEFT JOIN vps_instances v ON v.id = i.vps_instance_id
        WHERE ${share}
     ),${historyCte("ip", "$2", "$3", { from: "t WHERE old_value IS DISTINCT FROM new_value ORDER BY id", skipDuplicates: mayRepeat })}
     SELECT count(*)::text AS checked, count(*) FILTER (WHERE old_value IS DISTINCT FROM new_value)::text AS changed FROM t`,
    constant,
    ctx.reason,
    ctx.jobId,
  );
  // The same rule and guard as the history above, in two statements so the
  // large one joins VPS (100k rows) rather than the IP table to itself. IPs
  // with no VPS meet a one-row stand-in whose columns are all NULL.
  for (const vps of ["vps_instances v WHERE v.id = i.vps_instance_id", "(SELECT NULL::uuid AS id, NULL::text AS status) v WHERE i.vps_instance_id IS NULL"]) {
    await tx.$executeRawUnsafe(
      `UPDATE smtp_ip_addresses i
          SET approximate_cost = ${IP_RULE.value}, approximate_cost_source = ${IP_RULE.source},
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM ${vps} AND ${share}
          AND (i.approximate_cost, i.approximate_cost_source) IS DISTINCT FROM (${IP_RULE.value}, ${IP_RULE.source})`,
      constant,
    );
  }
  return { checked: Number(h!.checked), changed: Number(h!.changed) };
}
