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

/**
 * ≈25 tenants (one hostile), a 6-month trend, untracked spend: what an executive would see on a normal day.
 * `sampleDataWithExtras` adds the last close, anomalies, invoices, budgets, savings and a forecast.
 */
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
  const untracked = 4599n; // beside the modelled cost, never in it
  const total = attributed + unallocated;
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

/** A uuid made from a number, so the sample's ids look like the database's. */
export const uuidOf = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** The sample with every optional part: what the page shows once every feature has data. */
export function sampleDataWithExtras(): ExecutivePageData {
  const base = sampleData();
  const tenants = base.tenants.map((t, i) => ({
    ...t,
    tenantId: uuidOf(i + 1),
    // Every third tenant was one step healthier at the close; the last two are new since then.
    lastClose:
      i >= base.tenants.length - 2
        ? null
        : {
            revenue: t.revenue,
            cost: t.cost,
            marginPercent: t.marginPercent,
            health: i % 3 === 0 ? "Excellent" : t.health,
          },
  }));
  return {
    ...base,
    tenants,
    lastClose: {
      month: "2026-10",
      closedAt: new Date("2026-11-01T03:12:00Z"),
      revenue: formatCents(BigInt(base.fleet.revenue.replace(".", "")) - 12_345n),
      totalCost: formatCents(BigInt(base.fleet.totalCost.replace(".", "")) - 45_600n),
      marginPercent: "31.20",
      tenants: tenants.length - 2,
      untrackedCost: "0.00",
    },
    anomalies: {
      open: 3,
      openSinceClose: 2,
      latest: [
        {
          detectedAt: new Date("2026-11-02T03:05:00Z"),
          kind: "vps",
          label: "5006",
          resourceId: uuidOf(900),
          oldValue: "45.00",
          newValue: "90.00",
          change: "45.00",
        },
        {
          detectedAt: new Date("2026-11-02T03:05:00Z"),
          kind: "vps",
          label: "5011",
          resourceId: uuidOf(901),
          oldValue: "120.00",
          newValue: "60.00",
          change: "-60.00",
        },
        {
          detectedAt: new Date("2026-10-20T03:04:00Z"),
          kind: "ip",
          label: "203.0.113.7",
          resourceId: uuidOf(902),
          oldValue: null,
          newValue: "14.99",
          change: "14.99",
        },
      ],
    },
    invoiceAccuracy: {
      month: "2026-10",
      accuracy: "0.9712",
      invoiced: "4210.55",
      previous: { month: "2026-09", accuracy: "0.9634" },
    },
    budgets: {
      items: [
        { name: "Fleet", tenantId: null, budget: "9000.00", forecast: "8650.10", status: "at risk" },
        { name: "Acme Outreach", tenantId: uuidOf(1), budget: "400.00", forecast: "455.20", status: "over" },
        { name: "Lumen Analytics", tenantId: uuidOf(4), budget: "700.00", forecast: "420.00", status: "ok" },
      ],
    },
    savings: {
      totalMonthly: "312.40",
      count: 4,
      shareOfFleet: "3.61",
      top: [
        { kind: "idle_vps", resource: "VPS 5020", tenantId: uuidOf(2), tenantName: "Beacon <Mail>", monthly: "120.00" },
        {
          kind: "idle_ip",
          resource: "IP 203.0.113.7",
          tenantId: uuidOf(1),
          tenantName: "Acme Outreach",
          monthly: "74.85",
        },
        { kind: "billing_cycle", resource: "VPS 5011", tenantId: null, tenantName: null, monthly: "62.55" },
      ],
    },
    forecast: forecastAfter(base.trend?.at(-1)?.cost ?? "0.00"),
  };
}

/** Two forecast months growing from `cost`, their band widening: +2% (±3%), +4% (±6%). */
function forecastAfter(cost: string) {
  const c = BigInt(cost.replace(".", ""));
  const at = (pct: bigint) => formatCents((c * pct) / 100n);
  return [
    { month: "2026-11", cost: at(102n), low: at(99n), high: at(105n) },
    { month: "2026-12", cost: at(104n), low: at(98n), high: at(110n) },
  ];
}
