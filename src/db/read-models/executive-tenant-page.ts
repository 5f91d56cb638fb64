import type { ExecutiveTenantMonth, ExecutiveTenantPageData } from "../../reports/tenant-page.js";
import type { TenantHealth } from "../../reports/executive-page-data.js";
import type { SqlRunner } from "../client.js";
import { sharesOf, tenantResources } from "./explain.js";
import { query, statement } from "../sql.js";

interface TenantRow {
  tenantId: string;
  name: string;
  revenue: string | null;
  cost: string | null;
  profit: string | null;
  marginPercent: string | null;
  health: TenantHealth | null;
  attributionRefreshedAt: Date | null;
  generatedAt: Date;
}

const TENANT = statement<{ tenantId: string }, TenantRow>("executive/tenant-page");
const MONTHS = statement<{ tenantId: string }, ExecutiveTenantMonth>("executive/tenant-months");

/**
 * Everything one tenant's page draws, or null when no such tenant exists. `tenantId` must be a uuid
 * (the route checks it). The resource shares are those `explain tenant` prints (src/db/explain.ts).
 */
export async function loadTenantPage(db: SqlRunner, tenantId: string): Promise<ExecutiveTenantPageData | null> {
  const [t] = await query(db, TENANT, { tenantId });
  if (!t) return null;
  const months = await query(db, MONTHS, { tenantId });
  const shares = (await sharesOf(db, await tenantResources(db, tenantId))).filter((s) => s.tenantId === t.tenantId);
  const current =
    t.revenue === null || t.cost === null || t.profit === null || t.health === null
      ? null
      : {
          tenantId: t.tenantId,
          companyName: t.name,
          revenue: t.revenue,
          cost: t.cost,
          profit: t.profit,
          marginPercent: t.marginPercent,
          health: t.health,
        };
  return {
    generatedAt: t.generatedAt,
    attributionRefreshedAt: t.attributionRefreshedAt,
    tenantId: t.tenantId,
    name: t.name,
    current,
    months,
    resources: shares.map((s) => ({
      kind: s.kind,
      label: s.label,
      resourceCost: s.resourceCost,
      share: s.share,
      weight: s.weight,
      weights: s.weights,
    })),
  };
}
