/** Health of a tenant as the `executive_business_summary` view classifies it (revenue against cost). */
export type TenantHealth = "Excellent" | "Good" | "Monitor" | "Critical Action Required";

/** One tenant's monthly figures. Money is an exact decimal string ("1234.50"), never a float. */
export interface ExecutiveTenant {
  tenantId: string;
  /** Comes from tenants: UNTRUSTED text, may contain HTML, quotes, control characters. */
  companyName: string;
  revenue: string;
  cost: string;
  /** May be negative, e.g. "-12.30". */
  profit: string;
  marginPercent: string | null;
  health: TenantHealth;
  /** The tenant's figures in the last closed month; null when it was not in that close (or none exists). */
  lastClose?: ExecutiveTenantClose | null;
}

/** One tenant's figures frozen by a month close. */
export interface ExecutiveTenantClose {
  revenue: string;
  cost: string;
  marginPercent: string | null;
  /** A status the view wrote at the close (text: an older close may hold anything). */
  health: string;
}

/** One closed month of the fleet. */
export interface ExecutiveTrendMonth {
  /** YYYY-MM */
  month: string;
  revenue: string;
  cost: string;
  marginPercent: string | null;
}

export type {
  ExecutiveAnomalies,
  ExecutiveAnomaly,
  ExecutiveBudget,
  ExecutiveBudgets,
  ExecutiveFleetClose,
  ExecutiveForecastMonth,
  ExecutiveInvoiceAccuracy,
  ExecutiveSavings,
  ExecutiveSavingsItem,
} from "./executive-extras-data.js";
import type {
  ExecutiveAnomalies,
  ExecutiveBudgets,
  ExecutiveFleetClose,
  ExecutiveForecastMonth,
  ExecutiveInvoiceAccuracy,
  ExecutiveSavings,
} from "./executive-extras-data.js";

/** Money is always an exact decimal string with 2 decimals ("1234.50"), never a float. */
export interface ExecutivePageData {
  generatedAt: Date;
  freshness: {
    /** When the per-tenant figures were last recomputed. */
    attributionRefreshedAt: Date | null;
    /** When Hostwinds prices were last fully reconciled. */
    lastReconciliationAt: Date | null;
  };
  fleet: {
    /** Monthly subscription revenue, USD. */
    revenue: string;
    /** Modelled cost attributed to tenants. */
    attributedCost: string;
    /** Modelled cost no tenant can be charged with. */
    unallocatedCost: string;
    /** Hostwinds instances PenguinMails does not track (null = not known yet): beside totalCost, never in it. */
    untrackedCost: string | null;
    /** The modelled cost: attributedCost + unallocatedCost = vpsCost + ipCost (what a close freezes). */
    totalCost: string;
    vpsCost: string;
    ipCost: string;
    /** (revenue - totalCost) / revenue * 100, null when revenue is 0 (untracked spend not deducted). */
    marginPercent: string | null;
  };
  tenants: ExecutiveTenant[];
  /** Closed months, oldest first; empty or absent until month close exists. */
  trend?: ExecutiveTrendMonth[];
  /** The fleet at the last closed month, the base of each card's change; absent or null while none is closed. */
  lastClose?: ExecutiveFleetClose | null;
  /** The parts below come from other features: each is drawn when given, and absent where it does not exist yet. */
  anomalies?: ExecutiveAnomalies;
  invoiceAccuracy?: ExecutiveInvoiceAccuracy | null;
  budgets?: ExecutiveBudgets;
  savings?: ExecutiveSavings;
  /** Forecast months after the last closed one, oldest first: the trend chart continues with them. */
  forecast?: ExecutiveForecastMonth[];
  /** Why the forecast is rough (too short a history), shown under the chart; null or absent when it is not. */
  forecastNote?: string | null;
}

/** Options of `renderExecutivePage`. */
export interface ExecutivePageOptions {
  /** How many tenants the cost chart draws and the table lists: an integer from 1 to 100, default 10. */
  topTenants?: number;
  /** The tenant table's order; default "margin" (worst first). */
  sort?: TenantSort;
  /**
   * Set when the page is served: column headers become links (`?sort=…`) and names link to the
   * tenant's page (`executive/tenant/<id>`). A file has neither: it cannot follow them.
   */
  served?: boolean;
}

/** The orders of the tenant table: worst margin first, worst profit first, most costly, most revenue, by name. */
export const TENANT_SORTS = ["margin", "profit", "cost", "revenue", "name"] as const;
export type TenantSort = (typeof TENANT_SORTS)[number];

/** Display order and colour of each health status; every use also prints the name: colour is never the only cue. */
export const HEALTH_COLORS: Readonly<Record<TenantHealth, string>> = {
  Excellent: "#15803d",
  Good: "#65a30d",
  Monitor: "#d97706",
  "Critical Action Required": "#dc2626",
};

/** The colour of a health status; grey for a value outside the four (the type allows none, a database could). */
export function healthColor(h: string): string {
  return Object.hasOwn(HEALTH_COLORS, h) ? HEALTH_COLORS[h as TenantHealth] : "#64748b";
}

/** Fixed colours of the page's series. */
export const COLORS = {
  revenue: "#2563eb",
  cost: "#ea580c",
  attributed: "#3b6fb6",
  unallocated: "#94a3b8",
  untracked: "#ea580c",
  vps: "#0f766e",
  ip: "#7c3aed",
} as const;
