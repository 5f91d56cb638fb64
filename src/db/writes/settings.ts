import { formatCents, parseUsdCents } from "../../money.js";
import type { SqlRunner } from "../client.js";
import { maxCents } from "../../cost-columns.js";
import { IP_COST_CONFIG_KEY, LAST_RECONCILIATION_CONFIG_KEY, PLAN_PRICE_UNIT_CONFIG_KEY } from "../setting-keys.js";
import { execute, query, statement } from "../sql.js";

/**
 * cost-sync's settings in `system_config` (docs/data-model.md): the IP constant Finance owns, the
 * unit of plan prices, and the freshness of the model.
 */
export class SystemConfigError extends Error {
  override name = "SystemConfigError";
}

const GET_TEXT = statement<{ key: string }, { v: string | null }>("settings/get-text");
/** Who changed a setting and why: recorded in cost_sync_setting_changes by the same statement. */
type Authored = {
  changedBy: string;
  reason: string;
};
const SET_IP_CONSTANT = statement<{ key: string; value: string } & Authored, { old: string | null }>(
  "settings/set-ip-constant",
);
const SET_PLAN_PRICE_UNIT = statement<{ key: string; value: string } & Authored>("settings/set-plan-price-unit");
const RECORD_RECONCILIATION = statement<{ key: string; at: string; runId: string }>("settings/record-reconciliation");
const LAST_RECONCILIATION = statement<{ key: string }, { at: string | null; run: string | null }>(
  "settings/last-reconciliation",
);

/**
 * The IP constant as Finance set it. A missing or malformed value is an error naming the key:
 * never a silent default that would reprice every IP.
 */
export async function getIpConstantCents(db: SqlRunner): Promise<bigint> {
  const raw = (await query(db, GET_TEXT, { key: IP_COST_CONFIG_KEY }))[0]?.v;
  const cents = raw === undefined || raw === null ? undefined : parseUsdCents(raw);
  if (cents !== undefined && cents > maxCents("ip")) {
    throw new SystemConfigError(
      `system_config ${IP_COST_CONFIG_KEY} is ${raw ?? ""}, more than smtp_ip_addresses.approximate_cost holds (${formatCents(maxCents("ip"))}); run \`cost-sync config set smtp-ip-cost <usd>\``,
    );
  }
  if (cents === undefined) {
    const what = raw === undefined ? "missing" : `not a USD amount (${JSON.stringify(raw)})`;
    throw new SystemConfigError(
      `system_config ${IP_COST_CONFIG_KEY} is ${what}; run \`cost-sync config set smtp-ip-cost <usd>\``,
    );
  }
  return cents;
}

/**
 * Changes the constant and records the change with `changedBy` and `reason` (never in
 * system_config.updated_by, the application's column); returns the previous value (cents) or null.
 */
export async function setIpConstant(
  db: SqlRunner,
  cents: bigint,
  changedBy: string,
  reason = "IP constant changed",
): Promise<bigint | null> {
  const [row] = await query(db, SET_IP_CONSTANT, {
    key: IP_COST_CONFIG_KEY,
    value: formatCents(cents),
    changedBy,
    reason,
  });
  return row?.old ? (parseUsdCents(row.old) ?? null) : null;
}

export async function recordSuccessfulReconciliation(db: SqlRunner, runId: string, at: Date): Promise<void> {
  await execute(db, RECORD_RECONCILIATION, { key: LAST_RECONCILIATION_CONFIG_KEY, at: at.toISOString(), runId });
}

export async function getLastReconciliation(db: SqlRunner): Promise<{ completedAt: Date; runId: string } | null> {
  const [r] = await query(db, LAST_RECONCILIATION, { key: LAST_RECONCILIATION_CONFIG_KEY });
  return r?.at && r.run ? { completedAt: new Date(r.at), runId: r.run } : null;
}

export type PlanPriceUnit = "cents" | "dollars";

/** The unit of plans.price_monthly the views convert from (default cents). */
export async function getPlanPriceUnit(db: SqlRunner): Promise<PlanPriceUnit> {
  const raw = (await query(db, GET_TEXT, { key: PLAN_PRICE_UNIT_CONFIG_KEY }))[0]?.v;
  return raw === "dollars" ? "dollars" : "cents";
}

/** Changes the unit, recorded with `changedBy` and `reason` like the IP constant. */
export async function setPlanPriceUnit(
  db: SqlRunner,
  unit: PlanPriceUnit,
  changedBy: string,
  reason = "plan price unit changed",
): Promise<void> {
  await execute(db, SET_PLAN_PRICE_UNIT, { key: PLAN_PRICE_UNIT_CONFIG_KEY, value: unit, changedBy, reason });
}
