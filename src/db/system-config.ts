import { formatCents, parseUsdCents } from "../money.js";
import type { SqlRunner as Db } from "./client.js";
import { IP_COST_CONFIG_KEY, LAST_RECONCILIATION_CONFIG_KEY, PLAN_PRICE_UNIT_CONFIG_KEY } from "./objects.js";

export class SystemConfigError extends Error {
  override name = "SystemConfigError";
}

/**
 * The IP constant as Finance set it. A missing or malformed value is an error
 * naming the key: never a silent default that would reprice every IP.
 */
export async function getIpConstantCents(db: Db): Promise<bigint> {
  const rows = await db.$queryRawUnsafe<{ v: string | null }[]>(`SELECT value #>> '{}' AS v FROM system_config WHERE key = $1`, IP_COST_CONFIG_KEY);
  const raw = rows[0]?.v;
  const cents = raw === undefined || raw === null ? undefined : parseUsdCents(raw);
  if (cents === undefined) {
    throw new SystemConfigError(`system_config ${IP_COST_CONFIG_KEY} is ${raw === undefined ? "missing" : `not a USD amount (${JSON.stringify(raw)})`}; run \`cost-sync config set smtp-ip-cost <usd>\``);
  }
  return cents;
}

/** Changes the constant; returns the previous value (cents) or null. */
export async function setIpConstant(db: Db, cents: bigint, updatedBy: string): Promise<bigint | null> {
  const rows = await db.$queryRawUnsafe<{ old: string | null }[]>(
    `WITH old AS (SELECT value #>> '{}' AS v FROM system_config WHERE key = $1)
     INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by, updated)
     VALUES ($1, to_jsonb($2::text), 'Modelled monthly cost in USD of one dedicated SMTP IP', 'cost_modelling', false, $3, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated = now()
     RETURNING (SELECT v FROM old) AS old`,
    IP_COST_CONFIG_KEY,
    formatCents(cents),
    updatedBy,
  );
  const old = rows[0]?.old;
  return old ? (parseUsdCents(old) ?? null) : null;
}

/** Freshness of the model: when the last reconciliation completed. */
export async function recordSuccessfulReconciliation(db: Db, runId: string, at: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by, updated)
     VALUES ($1, jsonb_build_object('completed_at', $2::timestamptz, 'run_id', $3::text),
             'When the last cost-sync reconciliation completed (freshness of the cost model)', 'cost_modelling', false, 'cost-sync', now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated = now()`,
    LAST_RECONCILIATION_CONFIG_KEY,
    at.toISOString(),
    runId,
  );
}

export async function getLastReconciliation(db: Db): Promise<{ completedAt: Date; runId: string } | null> {
  const rows = await db.$queryRawUnsafe<{ at: string | null; run: string | null }[]>(
    `SELECT value->>'completed_at' AS at, value->>'run_id' AS run FROM system_config WHERE key = $1`,
    LAST_RECONCILIATION_CONFIG_KEY,
  );
  const r = rows[0];
  return r?.at && r.run ? { completedAt: new Date(r.at), runId: r.run } : null;
}

export type PlanPriceUnit = "cents" | "dollars";

/** The unit of plans.price_monthly the views convert from (default cents). */
export async function getPlanPriceUnit(db: Db): Promise<PlanPriceUnit> {
  const rows = await db.$queryRawUnsafe<{ v: string | null }[]>(`SELECT value #>> '{}' AS v FROM system_config WHERE key = $1`, PLAN_PRICE_UNIT_CONFIG_KEY);
  return rows[0]?.v === "dollars" ? "dollars" : "cents";
}

export async function setPlanPriceUnit(db: Db, unit: PlanPriceUnit, updatedBy: string): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO system_config (key, value, description, category, is_sensitive, updated_by, updated)
     VALUES ($1, to_jsonb($2::text), 'Unit of plans.price_monthly used by the executive views: "cents" or "dollars".', 'cost_modelling', false, $3, now())
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated = now()`,
    PLAN_PRICE_UNIT_CONFIG_KEY,
    unit,
    updatedBy,
  );
}
