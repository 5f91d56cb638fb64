import type { SqlRunner } from "../../db/client.js";
import {
  kindTotals,
  latestSavingsRun,
  realisedSavings,
  reportOpportunities,
  topOpportunities,
  type OpportunityRow,
  type RealisedRow,
  type SavingsRunRow,
  type TopOpportunity,
} from "../../db/savings/read-store.js";
import { formatCents, parseUsdCents } from "../../money.js";
import { InputError } from "../errors.js";
import { SAVINGS_KINDS, type SavingsKind } from "./identity.js";

/** An opportunity as `report savings --json` prints it (docs/savings.md): amounts as decimal strings, null where not applicable. */
export interface OpportunityJson {
  id: string;
  kind: string;
  serviceId: string | null;
  ip: string | null;
  tenantId: string | null;
  monthlySaving: string | null;
  upfront: string | null;
  breakEvenMonths: string | null;
  evidence: Record<string, unknown> & { method: string };
  firstSeen: string;
  state: string;
}

/** `report savings --json`, exactly as the issue gives it. */
export interface SavingsReport {
  opportunities: OpportunityJson[];
  totals: Partial<Record<SavingsKind, string>>;
  fleetMonthlyCost: string;
}

export type SavingsState = "open" | "dismissed" | "done" | "all";
export const SAVINGS_STATES: readonly SavingsState[] = ["open", "dismissed", "done", "all"];

/** The kind named on the command line; anything else is an InputError naming the kinds. */
export function savingsKind(text: string): SavingsKind {
  if ((SAVINGS_KINDS as readonly string[]).includes(text)) return text as SavingsKind;
  throw new InputError(`unknown kind ${JSON.stringify(text)}: one of ${SAVINGS_KINDS.join(", ")}`);
}

const asJson = (r: OpportunityRow): OpportunityJson => ({
  id: r.id,
  kind: r.kind,
  serviceId: r.serviceId,
  ip: r.ip,
  tenantId: r.tenantId,
  monthlySaving: r.monthlySaving,
  upfront: r.upfront,
  breakEvenMonths: r.breakEvenMonths,
  evidence: {
    method: r.method,
    ...r.evidence,
    ...(r.state === "dismissed" ? { dismissedBy: r.dismissedBy, dismissReason: r.dismissReason } : {}),
    ...(r.state === "done" ? { doneAt: r.doneAt?.toISOString() ?? null, doneReason: r.doneReason } : {}),
  },
  firstSeen: r.firstSeen.toISOString(),
  state: r.state,
});

/** The report: opportunities by monthly saving, totals per kind, and the fleet's modelled monthly cost. */
export async function savingsReport(
  db: SqlRunner,
  f: { kind: SavingsKind | null; tenantId: string | null; state: SavingsState },
): Promise<SavingsReport> {
  const rows = await reportOpportunities(db, { ...f, limit: 1_000_000 });
  const totals = await kindTotals(db, { kind: f.kind, tenantId: f.tenantId });
  return {
    opportunities: rows.map(asJson),
    totals: Object.fromEntries(totals.map((t) => [t.kind, t.monthlySaving])),
    fleetMonthlyCost: totals[0]?.fleetMonthlyCost ?? "0.00",
  };
}

/** The open total's share of the fleet's modelled cost, in percent to 2 places (null when the fleet costs 0). */
export function shareOfFleet(report: SavingsReport): string | null {
  const total = Object.values(report.totals).reduce((a, t) => a + (parseUsdCents(t) ?? 0n), 0n);
  return sharePercent(total, report.fleetMonthlyCost);
}

/** `cents` as a percentage of `fleetMonthlyCost`, rounded once (half up) to 2 places; null when the fleet costs 0. */
function sharePercent(cents: bigint, fleetMonthlyCost: string): string | null {
  const fleet = parseUsdCents(fleetMonthlyCost) ?? 0n;
  if (fleet === 0n) return null;
  return formatCents((cents * 10000n * 2n + fleet) / (2n * fleet));
}

/** Realised savings of the last `months` months (opportunities done, read from invoices). */
export async function realisedReport(db: SqlRunner, months: number): Promise<RealisedRow[]> {
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new InputError(`--months must be a whole number from 1 to 120`);
  return realisedSavings(db, months);
}

/** The executive page's "savings available": the `n` largest open opportunities. */
export const topSavings = (db: SqlRunner, n: number): Promise<TopOpportunity[]> => topOpportunities(db, n);

/** Open monthly saving per kind, their sum, the fleet's modelled cost, and the latest refresh. */
export async function savingsTotals(db: SqlRunner): Promise<{
  byKind: Record<string, { monthlySaving: string; count: number }>;
  monthlySaving: string;
  fleetMonthlyCost: string;
  latestRefresh: SavingsRunRow | null;
}> {
  const totals = await kindTotals(db, { kind: null, tenantId: null });
  const sum = totals.reduce((a, t) => a + (parseUsdCents(t.monthlySaving) ?? 0n), 0n);
  return {
    byKind: Object.fromEntries(totals.map((t) => [t.kind, { monthlySaving: t.monthlySaving, count: t.count }])),
    monthlySaving: formatCents(sum),
    fleetMonthlyCost: totals[0]?.fleetMonthlyCost ?? "0.00",
    latestRefresh: (await latestSavingsRun(db)) ?? null,
  };
}

/** "Savings available" as the executive page and the digest show it: the open total and the `n` largest. */
export interface SavingsSummary {
  /** When the latest savings refresh finished; null when none has run (nothing is known, not "nothing to save"). */
  refreshedAt: Date | null;
  /** Open monthly saving in all, USD. */
  monthlySaving: string;
  /** Open opportunities. */
  count: number;
  /** The fleet's modelled monthly cost (attributed plus unallocated, untracked spend left out). */
  fleetMonthlyCost: string;
  /** monthlySaving as a percentage of fleetMonthlyCost, 2 places; null when the fleet costs 0. */
  shareOfFleet: string | null;
  /** The `n` largest open opportunities, most saving first. */
  top: TopOpportunity[];
}

/** The open savings' total, share of the fleet's modelled cost, and the `n` largest opportunities. */
export async function savingsSummary(db: SqlRunner, n: number): Promise<SavingsSummary> {
  const [t, top] = await Promise.all([savingsTotals(db), topOpportunities(db, n)]);
  return {
    refreshedAt: t.latestRefresh?.finishedAt ?? null,
    monthlySaving: t.monthlySaving,
    count: Object.values(t.byKind).reduce((a, k) => a + k.count, 0),
    fleetMonthlyCost: t.fleetMonthlyCost,
    shareOfFleet: sharePercent(parseUsdCents(t.monthlySaving) ?? 0n, t.fleetMonthlyCost),
    top,
  };
}

/** What an opportunity is about, as people name it: the VPS's serviceid, the IP, or the untracked instance. */
export function resourceOf(o: Pick<TopOpportunity, "kind" | "serviceId" | "ip">): string {
  if (o.kind === "idle_ip") return `IP ${o.ip ?? "(no address)"}`;
  if (o.kind === "untracked") return `Instance ${o.serviceId ?? "(no serviceid)"}`;
  return `VPS ${o.serviceId ?? "(no serviceid)"}`;
}
