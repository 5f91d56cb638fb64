import type { ExecutiveTenantPageData } from "../../src/reports/tenant-page.js";
import { tenant } from "./executive-sample.js";

const ID = "5f0c6a52-8d1e-4c1a-9a51-3c1f0e7b2d44";

/** One tenant with today's figures, four closed months, a dedicated VPS and a shared IP. */
export function sampleTenantPage(): ExecutiveTenantPageData {
  return {
    generatedAt: new Date("2026-11-03T09:30:00Z"),
    attributionRefreshedAt: new Date("2026-11-03T04:12:00Z"),
    tenantId: ID,
    name: "Harbor Health Group",
    current: tenant(ID, "Harbor Health Group", 89_900n, 61_422n),
    months: [
      { month: "2026-07", revenue: "899.00", cost: "540.10", marginPercent: "39.92", health: "Good" },
      { month: "2026-08", revenue: "899.00", cost: "560.00", marginPercent: "37.71", health: "Good" },
      { month: "2026-09", revenue: "899.00", cost: "590.55", marginPercent: "34.31", health: "Monitor" },
      { month: "2026-10", revenue: "899.00", cost: "600.00", marginPercent: "33.26", health: "Good" },
    ],
    resources: [
      { kind: "vps", label: "5006", resourceCost: "589.26", share: "589.26", weight: 1, weights: 1 },
      { kind: "ip", label: "203.0.113.7", resourceCost: "4.99", share: "2.50", weight: 1, weights: 2 },
      { kind: "ip", label: "203.0.113.8", resourceCost: "4.99", share: "4.99", weight: 1, weights: 1 },
    ],
  };
}
