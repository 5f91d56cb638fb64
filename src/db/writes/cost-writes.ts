import { formatCents, centsOf } from "../../money.js";
import { IP_COST_CONFIG_KEY } from "../setting-keys.js";

/**
 * What the VPS and IP cost writes share. Their statements are `.sql` files (`src/db/queries/vps/write-costs.sql`,
 * `ip/reprice-*.sql`, `overrides/set-*.sql`) that include the same blocks from `src/db/queries/include/`: the
 * history insert, the anomaly CTE, the changes as JSON and the IP rule. Every cost write is one statement that
 * changes only rows whose value changes, never replaces an override with anything but the override, and
 * writes its cost_history rows in the same statement, keyed so that a retried job cannot record the same
 * change twice. The functions below give those blocks' parameters.
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

/** The parameters of `include/cost-history.sql`. */
export type HistoryParams = {
  kind: CostKind;
  reason: string;
  jobId: string;
  changedBy: string | null;
};

export const historyParams = (kind: CostKind, ctx: WriteContext): HistoryParams => ({
  kind,
  reason: ctx.reason,
  jobId: ctx.jobId,
  changedBy: ctx.changedBy ?? null,
});

/** The parameters of `include/cost-anomalies.sql` (with `kind`, from the history's): all NULL without a rule. */
export type AnomalyParams = {
  runId: string | null;
  usd: string | null;
  percent: number | null;
};

export const anomalyParams = (rule: AnomalyRule | undefined): AnomalyParams => ({
  runId: rule?.runId ?? null,
  usd: rule ? formatCents(rule.usdCents) : null,
  percent: rule?.percent ?? null,
});

/** The parameters of the IP rule (`include/ip-rule-*.sql`): the constant as read, and where it is kept. */
export type IpRuleParams = {
  constant: string;
  configKey: string;
  constantSource: string;
};

export const ipRuleParams = (constantCents: bigint): IpRuleParams => ({
  constant: formatCents(constantCents),
  configKey: IP_COST_CONFIG_KEY,
  constantSource: `system_config ${IP_COST_CONFIG_KEY}`,
});
