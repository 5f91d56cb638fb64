import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/** What `report savings`, the gauges and the executive page read of the opportunities. */

/** What an opportunity says, as the refresh records it and the reports read it back. */
export interface OpportunityFigures {
  id: string;
  kind: string;
  serviceId: string | null;
  ip: string | null;
  tenantId: string | null;
  monthlySaving: string | null;
  upfront: string | null;
  breakEvenMonths: string | null;
  method: string;
  evidence: Record<string, unknown>;
}

export interface OpportunityRow extends OpportunityFigures {
  firstSeen: Date;
  lastSeen: Date;
  state: "open" | "dismissed" | "done";
  dismissedBy: string | null;
  dismissReason: string | null;
  doneAt: Date | null;
  doneReason: string | null;
}

export interface KindTotal {
  kind: string;
  monthlySaving: string;
  count: number;
  fleetMonthlyCost: string;
}

export interface RealisedRow {
  id: string;
  kind: string;
  serviceId: string | null;
  ip: string | null;
  tenantId: string | null;
  doneAt: Date;
  doneReason: string;
  predictedMonthlySaving: string | null;
  invoicedBeforeMonth: string | null;
  invoicedBefore: string | null;
  invoicedAfterMonth: string | null;
  invoicedAfter: string | null;
  realisedMonthlySaving: string | null;
}

export interface KindGauge {
  kind: string;
  open: number;
  monthlyUsd: string;
  new: number;
  newMonthlyUsd: string;
}

export interface TopOpportunity {
  id: string;
  kind: string;
  serviceId: string | null;
  ip: string | null;
  tenantId: string | null;
  /** The tenant's display name (the company's, else the tenant's own; its uuid when it has none); null without a tenant. */
  tenantName: string | null;
  monthlySaving: string;
  method: string;
  firstSeen: Date;
}

export interface SavingsRunRow {
  id: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date;
  opportunities: number;
  opened: number;
  done: number;
  reopened: number;
  calls: number;
  cycleUnknown: number;
  idleDays: number;
}

export type ReportFilter = {
  kind: string | null;
  tenantId: string | null;
  state: "open" | "dismissed" | "done" | "all";
  limit: number;
};

const REPORT = statement<ReportFilter, OpportunityRow>("savings/report");
const TOTALS = statement<{ kind: string | null; tenantId: string | null }, KindTotal>("savings/totals");
const REALISED = statement<{ months: number }, RealisedRow>("savings/realised");
const GAUGES = statement<{ hours: number }, KindGauge>("savings/gauges");
const TOP = statement<{ n: number }, TopOpportunity>("savings/top");
const LATEST_RUN = statement<Record<string, never>, SavingsRunRow>("savings/latest-run");
const EXISTS = statement<{ id: string }, { id: string; state: string }>("savings/opportunity-exists");

export const reportOpportunities = (db: SqlRunner, f: ReportFilter) => query(db, REPORT, f);
export const kindTotals = (db: SqlRunner, f: { kind: string | null; tenantId: string | null }) => query(db, TOTALS, f);
export const realisedSavings = (db: SqlRunner, months: number) => query(db, REALISED, { months });
export const savingsGauges = (db: SqlRunner, hours: number) => query(db, GAUGES, { hours });
export const topOpportunities = (db: SqlRunner, n: number) => query(db, TOP, { n });
export const latestSavingsRun = async (db: SqlRunner) => (await query(db, LATEST_RUN, {}))[0];
export const findOpportunity = async (db: SqlRunner, id: string) => (await query(db, EXISTS, { id }))[0];
