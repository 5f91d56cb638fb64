import { formatCents } from "../../src/money.js";
import type { ExecutivePageData, ExecutiveTenant, TenantHealth } from "../../src/reports/executive-page.js";

/** A small deterministic PRNG, so the sample is the same on every run. */
function rng(seed: number): () => number {
  return () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

/** margin % = profit / revenue * 100, half-up to 2 decimals, in integer arithmetic as the view does. */
export function marginOf(revenueCents: bigint, costCents: bigint): string | null {
  if (revenueCents === 0n) return null;
  const bp = ((revenueCents - costCents) * 20000n) / revenueCents; // basis points * 2
  const rounded = bp >= 0n ? (bp + 1n) / 2n : (bp - 1n) / 2n;
  return formatCents(rounded);
}

/** The view's rule: Excellent if revenue > 2x cost, Good > 1.5x, Monitor > 1x, else Critical Action Required. */
export function healthOf(revenueCents: bigint, costCents: bigint): TenantHealth {
  if (revenueCents > costCents * 2n) return "Excellent";
  if (revenueCents * 2n > costCents * 3n) return "Good";
  if (revenueCents > costCents) return "Monitor";
  return "Critical Action Required";
}

/** A tenant with consistent figures from whole cents. */
export function tenant(
  tenantId: string,
  companyName: string,
  revenueCents: bigint,
  costCents: bigint,
): ExecutiveTenant {
  return {
    tenantId,
    companyName,
    revenue: formatCents(revenueCents),
    cost: formatCents(costCents),
    profit: formatCents(revenueCents - costCents),
    marginPercent: marginOf(revenueCents, costCents),
    health: healthOf(revenueCents, costCents),
  };
}

const NAMES = [
  "Acme Outreach",
  "Blue Fjord Media",
  "Northwind Traders",
  "Lumen Analytics",
  "Quartz & Co",
  "Harbor Health Group",
  "Pinecrest Realty",
  "Vertex Logistics",
  "Orbit Learning",
  "Saffron Foods",
  "Granite Insurance",
  "Helios Solar",
  "Kestrel Security",
  "Meridian Travel",
  "Nimbus Software",
  "Oakridge Legal",
  "Polar Fitness",
  "Redwood Capital",
  "Sable Fashion",
  "Tidewater Marine",
  "Umbra Design Studio",
  "Velvet Events",
  "Willow Pet Supplies",
  "Zephyr Wireless",
];

/** A hostile company name: markup, an attribute break-out, and a terminal escape sequence. */
export const HOSTILE_NAME = `<script>alert(1)</script>"><img src=x onerror=alert(2)>\u001b[31m`;

/** ≈25 tenants (one hostile), a 6-month trend, untracked spend: what an executive would see on a normal day. */
export function sampleData(): ExecutivePageData {
  const r = rng(42);
  const tenants = NAMES.map((name, i) => {
    const cost = BigInt(4000 + Math.floor(r() * 60000));
    const revenue = BigInt(Math.floor(Number(cost) * (0.7 + r() * 2.2)));
    return tenant(`t-${String(i + 1).padStart(4, "0")}`, name, revenue, cost);
  });
  // Costly enough to be among the top 10, so both the chart and the table show it.
  tenants.push(tenant("t-0666", HOSTILE_NAME, 49900n, 58125n));
  const sum = (pick: (t: ExecutiveTenant) => string): bigint =>
    tenants.reduce((s, t) => s + BigInt(pick(t).replace(".", "")), 0n);
  const revenue = sum((t) => t.revenue);
  const attributed = sum((t) => t.cost);
  const unallocated = 148744n;
  const untracked = 4599n;
  const total = attributed + unallocated + untracked;
  const months = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"];
  const trend = months.map((month, i) => {
    const rev = (revenue * BigInt(80 + i * 4)) / 100n;
    const cost = (total * BigInt(86 + i * 3)) / 100n;
    return { month, revenue: formatCents(rev), cost: formatCents(cost), marginPercent: marginOf(rev, cost) };
  });
  return {
    generatedAt: new Date("2026-11-03T09:30:00Z"),
    freshness: {
      attributionRefreshedAt: new Date("2026-11-03T04:12:00Z"),
      lastReconciliationAt: new Date("2026-10-31T02:00:00Z"),
    },
    fleet: {
      revenue: formatCents(revenue),
      attributedCost: formatCents(attributed),
      unallocatedCost: formatCents(unallocated),
      untrackedCost: formatCents(untracked),
      totalCost: formatCents(total),
      vpsCost: formatCents((total * 83n) / 100n),
      ipCost: formatCents(total - (total * 83n) / 100n),
      marginPercent: marginOf(revenue, total),
    },
    tenants,
    trend,
  };
}
