/**
 * The executive page's optional parts: the last closed month (each card's base), anomalies, invoice
 * accuracy, budgets, savings and the forecast. Each is drawn when given; money is an exact decimal string.
 */

/** The fleet as the last close froze it, counted as the page counts today (modelled cost; untracked beside it). */
export interface ExecutiveFleetClose {
  /** YYYY-MM */
  month: string;
  closedAt: Date;
  revenue: string;
  /** The close's modelled cost (attributed + unallocated), like the page's total; untracked spend not in it. */
  totalCost: string;
  marginPercent: string | null;
  tenants: number;
  untrackedCost: string | null;
}

/** One anomaly: a modelled cost change beyond both thresholds. Nothing in it names a tenant. */
export interface ExecutiveAnomaly {
  detectedAt: Date;
  /** "vps" or "ip". */
  kind: string;
  /** The VPS's Hostwinds serviceid or the IP's address (UNTRUSTED text, shown escaped). */
  label: string | null;
  resourceId: string;
  oldValue: string | null;
  newValue: string;
  change: string;
}

/** The anomalies nobody has dealt with yet. */
export interface ExecutiveAnomalies {
  open: number;
  /** Open anomalies detected after the last close; null when no month is closed. */
  openSinceClose: number | null;
  /** The latest open ones, newest first (a handful: the CLI lists them all). */
  latest: ExecutiveAnomaly[];
}

/** How close the model came to what Hostwinds invoiced, for the latest imported month. */
export interface ExecutiveInvoiceAccuracy {
  /** YYYY-MM */
  month: string;
  /** A fraction with 4 decimals ("0.9871"); null when nothing of the month was matched to a VPS. */
  accuracy: string | null;
  invoiced: string;
  /** The invoiced month before it, to show the change; null when there is none. */
  previous: { month: string; accuracy: string | null } | null;
}

/** One budget and where its forecast lands. */
export interface ExecutiveBudget {
  /** What the budget covers: a tenant's or the fleet's name (UNTRUSTED text). */
  name: string;
  /** The tenant, or null for the fleet. */
  tenantId: string | null;
  budget: string;
  forecast: string;
  status: "ok" | "at risk" | "over";
}

/** Budgets with their status, worst first. */
export interface ExecutiveBudgets {
  items: ExecutiveBudget[];
}

/** One savings opportunity as the page lists it. */
export interface ExecutiveSavingsItem {
  /** billing_cycle, idle_ip, idle_vps, billed_after_decommission or untracked (docs/savings.md). */
  kind: string;
  /** What to act on: "VPS 5020", "IP 203.0.113.9", "Instance 7001" (UNTRUSTED text, shown escaped). */
  resource: string;
  tenantId: string | null;
  /** The tenant's display name (UNTRUSTED text); null when no tenant bears it. */
  tenantName: string | null;
  monthly: string;
}

/** What could be saved each month (open opportunities of the latest savings refresh), and the largest ones. */
export interface ExecutiveSavings {
  totalMonthly: string;
  count: number;
  /** totalMonthly as a percentage of the fleet's modelled cost ("3.25"); null when that cost is 0. */
  shareOfFleet?: string | null;
  /** The largest (five at most on the page), most saving first. */
  top: ExecutiveSavingsItem[];
}

/** One forecast month: the expected modelled cost (the median) and its band (p10 to p90). */
export interface ExecutiveForecastMonth {
  /** YYYY-MM */
  month: string;
  cost: string;
  /** null, as `high`, when the history is too short for an interval: that month has no band. */
  low: string | null;
  high: string | null;
}
