import type { SqlRunner } from "../../db/client.js";
import type { ExecutiveSavings } from "../../reports/executive-page-data.js";
import { resourceOf, savingsSummary } from "../savings/report.js";

/** The page lists the five largest open opportunities (issue #24: "savings available" with the top five). */
const TOP = 5;

/**
 * "Savings available" for the executive page: the open monthly saving of the latest savings refresh,
 * its share of the fleet's modelled cost, and the five largest opportunities. Undefined while no
 * savings refresh has run: the page then leaves the part out rather than claim there is nothing to save.
 */
export async function pageSavings(db: SqlRunner): Promise<ExecutiveSavings | undefined> {
  const s = await savingsSummary(db, TOP);
  if (s.refreshedAt === null) return undefined;
  return {
    totalMonthly: s.monthlySaving,
    count: s.count,
    shareOfFleet: s.shareOfFleet,
    top: s.top.map((o) => ({
      kind: o.kind,
      resource: resourceOf(o),
      tenantId: o.tenantId,
      tenantName: o.tenantName,
      monthly: o.monthlySaving,
    })),
  };
}
