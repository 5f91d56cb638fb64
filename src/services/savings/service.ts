import type { Db } from "../../db/client.js";
import { recordRunCycles, type InstanceCycle } from "../../db/savings/refresh-store.js";
import type { CyclePriceReader } from "./cycle-prices.js";
import { dismissSavings } from "./dismiss.js";
import { refreshSavings, type RefreshResult } from "./refresh.js";
import {
  realisedReport,
  savingsKind,
  savingsReport,
  savingsTotals,
  topSavings,
  type SavingsReport,
  type SavingsState,
} from "./report.js";

/** What the savings use cases need, from the composition root (the worker's or the CLI session's). */
export interface SavingsDeps {
  db: Db;
  /** Hostwinds through the shared budget (bulk lane), opened when first needed; undefined = none configured. */
  hostwinds: () => Promise<CyclePriceReader | undefined>;
  idleDays: number;
  /** Who is recorded with dismissals and automatic state changes. */
  operator: string;
  concurrency: number;
  /** The tenant a command names by uuid or name (src/services/tenants/resolve-tenant.ts). */
  resolveTenant: (text: string) => Promise<{ id: string; name: string }>;
}

/**
 * The savings use cases (docs/savings.md), written once for the CLI, the jobs and the executive
 * page: refresh, report, realised savings, dismissal, and the figures the page and gauges show.
 */
export function createSavingsService(deps: SavingsDeps) {
  const refresh = async (trigger: string): Promise<RefreshResult> =>
    refreshSavings(
      {
        db: deps.db,
        hostwinds: await deps.hostwinds(),
        idleDays: deps.idleDays,
        operator: deps.operator,
        concurrency: deps.concurrency,
      },
      trigger,
    );
  return {
    refresh,
    /** After a completed reconciliation: its cycles recorded, then a refresh. */
    async afterReconciliation(runId: string, cycles: readonly InstanceCycle[]): Promise<RefreshResult> {
      await recordRunCycles(deps.db, runId, cycles);
      return refresh(`reconciliation ${runId}`);
    },
    /** `report savings`: the kind and tenant as typed on the command line (validated here). */
    async report(o: { kind?: string; tenant?: string; state?: SavingsState }): Promise<SavingsReport> {
      const kind = o.kind === undefined ? null : savingsKind(o.kind);
      const tenantId = o.tenant === undefined ? null : (await deps.resolveTenant(o.tenant)).id;
      return savingsReport(deps.db, { kind, tenantId, state: o.state ?? "open" });
    },
    realised: (months: number) => realisedReport(deps.db, months),
    dismiss: (id: string, reason: string) => dismissSavings(deps.db, { id, reason, operator: deps.operator }),
    /** The executive page's "savings available": the `n` largest open opportunities. */
    topSavings: (n: number) => topSavings(deps.db, n),
    /** Open monthly saving per kind and in all, the fleet's modelled cost, the latest refresh. */
    totals: () => savingsTotals(deps.db),
  };
}

export type SavingsService = ReturnType<typeof createSavingsService>;
