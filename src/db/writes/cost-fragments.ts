import { Prisma } from "../client.js";
import { formatCents, centsOf } from "../../money.js";
import { IP_COST_CONFIG_KEY } from "../setting-keys.js";

/**
 * SQL fragments shared by the VPS and IP cost writes (composed with Prisma.sql, which numbers the
 * placeholders). Every cost write is one statement that changes only rows whose value changes,
 * never replaces an override with anything but the override, and writes its cost_history rows in
 * the same statement, keyed so that a retried job cannot record the same change twice.
 */

export type CostKind = "vps" | "ip";

/** Who makes a change and why: the key cost_history rows are recorded under, and their reason. */
export interface WriteContext {
  jobId: string;
  reason: string;
  /** Who made the change from the command line (cost_history.changed_by); absent for the worker's own syncs. */
  changedBy?: string;
}

/** Flags changes beyond both thresholds as anomalies of a reconciliation run, in the same statement. */
export interface AnomalyRule {
  runId: string;
  percent: number;
  usdCents: bigint;
}

export interface CostChange {
  id: string;
  oldCents: bigint | null;
  newCents: bigint;
  source: string;
}

/** A change as the statements return it (exact decimals as text). */
export interface ChangeRow {
  id: string;
  old_value: string | null;
  new_value: string;
  source: string;
}

export const toChanges = (rows: readonly ChangeRow[]): CostChange[] =>
  rows.map((r) => ({
    id: r.id,
    oldCents: centsOf(r.old_value),
    newCents: centsOf(r.new_value) ?? 0n,
    source: r.source,
  }));

/**
 * `hist AS (...)`: one cost_history row per row of `from` (by default the `changed` CTE). A retry's
 * duplicate is skipped unless `skipDuplicates` is false (see RepriceAllOptions.mayRepeat).
 */
export function historyCte(kind: CostKind, ctx: WriteContext, o: { from?: Prisma.Sql; skipDuplicates?: boolean } = {}) {
  const from = o.from ?? Prisma.sql`changed`;
  const onConflict = o.skipDuplicates === false ? Prisma.empty : Prisma.sql`ON CONFLICT DO NOTHING`;
  return Prisma.sql`hist AS (
       INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_by)
       SELECT ${kind}, id, old_value, new_value, source, ${ctx.reason}, ${ctx.jobId}, ${ctx.changedBy ?? null}::text FROM ${from}
       ${onConflict}
     )`;
}

/**
 * `anom AS (...)`: among the rows of the `changed` CTE, those beyond both anomaly thresholds
 * (either direction). A first pricing (from 0.00, or from nothing) is not an anomaly: a new VPS
 * going from 0.00 to its price says nothing unusual. A no-op without a rule.
 */
export function anomalyCte(kind: CostKind, rule: AnomalyRule | undefined) {
  const runId = rule?.runId ?? null;
  const usd = rule ? formatCents(rule.usdCents) : null;
  const pct = rule?.percent ?? null;
  return Prisma.sql`anom AS (
       INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct)
       SELECT ${runId}::uuid, ${kind}, id, old_value, new_value, new_value - COALESCE(old_value, 0),
              CASE WHEN COALESCE(old_value, 0) = 0 THEN NULL ELSE round((new_value - old_value) / old_value * 100, 2) END
         FROM changed
        WHERE ${runId}::uuid IS NOT NULL AND COALESCE(old_value, 0) <> 0
          AND abs(new_value - old_value) >= ${usd}::numeric
          AND abs(new_value - old_value) / old_value * 100 >= ${pct}::numeric
       ON CONFLICT DO NOTHING
       RETURNING 1
     )`;
}

/** Where an IP's cost comes from when it follows the constant. */
const IP_CONSTANT_SOURCE = `system_config ${IP_COST_CONFIG_KEY}`;

/**
 * The IP pricing rule over `i` (the IP) and `v` (its VPS; all NULL when it has none): override,
 * else 0.00 on no VPS or a decommissioned one, else the constant. One definition for every IP
 * write, so targeted syncs and the bulk repricing cannot disagree.
 *
 * `stale` is true for a row that would take the constant while `system_config` no longer holds
 * the value the writer read: Finance changed it meanwhile, and the repricing that change enqueued
 * writes the new one. Writes skip such rows (and count them) instead of putting the old value back.
 */
export function ipRule(constant: string) {
  const usesConstant = Prisma.sql`(i.approximate_cost_override IS NULL AND v.id IS NOT NULL AND v.status IS DISTINCT FROM 'decommissioned')`;
  const constantHolds = Prisma.sql`(SELECT CASE WHEN c.value #>> '{}' ~ '^[0-9]+(\.[0-9]+)?$' THEN (c.value #>> '{}')::numeric END
                                      FROM system_config c WHERE c.key = ${IP_COST_CONFIG_KEY}) IS NOT DISTINCT FROM ${constant}::numeric`;
  return {
    value: Prisma.sql`CASE WHEN i.approximate_cost_override IS NOT NULL THEN i.approximate_cost_override
               WHEN v.id IS NULL OR v.status = 'decommissioned' THEN 0.00
               ELSE ${constant}::numeric END`,
    source: Prisma.sql`CASE WHEN i.approximate_cost_override IS NOT NULL THEN 'override'
                WHEN v.id IS NULL THEN 'no vps'
                WHEN v.status = 'decommissioned' THEN 'vps decommissioned'
                ELSE ${IP_CONSTANT_SOURCE} END`,
    stale: Prisma.sql`(${usesConstant} AND NOT ${constantHolds})`,
  };
}

/** The changed rows of a statement as JSON, for the one-row result of a write. */
export const changesJson = Prisma.sql`(SELECT COALESCE(json_agg(json_build_object('id', id, 'old_value', old_value::text,
       'new_value', new_value::text, 'source', source)), '[]'::json) FROM changed)`;
