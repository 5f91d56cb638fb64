import type { SqlRunner } from "../db/client.js";
import { monthlyTrend, type Trend } from "../db/read-models/trend.js";
import type { PgQueryable } from "../db/sql.js";
import { resolveTenant, type TenantRef } from "./tenants/resolve-tenant.js";

/**
 * `report trend`: the last `months` closed months of the fleet, or of the tenant `tenant` names
 * (uuid or name; an InputError when unknown or ambiguous), with their month-over-month change.
 */
export async function closedMonthTrend(
  deps: { db: SqlRunner; pg: PgQueryable },
  r: { months: number; tenant: string | undefined },
): Promise<{ tenant: TenantRef | undefined; trend: Trend }> {
  const tenant = r.tenant === undefined ? undefined : await resolveTenant(deps.db, r.tenant);
  return { tenant, trend: await monthlyTrend(deps.pg, { months: r.months, tenantId: tenant?.id }) };
}
