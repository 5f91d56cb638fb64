import { refreshAttribution } from "./writes/attribution.js";
import { createPriceWatchStore } from "./writes/price-watch.js";
import type { Db } from "./client.js";
import {
  repriceAllIps,
  repriceIps,
  type IpScope,
  type RepriceAllOptions,
  type RepriceIpsOptions,
} from "./writes/ip-costs.js";
import type { WriteContext, AnomalyRule } from "./writes/cost-writes.js";
import { vacuumCostTables } from "./writes/maintenance.js";
import { closeInForce, closeMonth, firstHistoryMonth, type CloseRequest } from "./month-end/month-close.js";
import { commitChunk, type CommitOptions } from "./writes/run-chunk.js";
import { loadGroups, recordGroups, type CatalogueMismatch, type GroupPlan } from "./writes/run-groups.js";
import { addRunCalls, completeRun, failRun, openRun, runCheckedSoFar, type CallsByPurpose } from "./writes/runs.js";
import { getIpConstantCents, recordSuccessfulReconciliation } from "./writes/settings.js";
import {
  databaseClock,
  recordedUntracked,
  recordGhosts,
  recordListed,
  recordUntracked,
  referencedServiceIds,
  summariseUntracked,
  type GhostCheck,
  type ListedHost,
  type UntrackedInstance,
} from "./writes/untracked.js";
import {
  countVps,
  loadVps,
  loadVpsChunk,
  pricedServiceIds,
  markVpsUnpriced,
  writeVpsCosts,
  type VpsCost,
  type VpsUnpriced,
} from "./writes/vps-costs.js";

/**
 * What jobs read and write, bound to one database: the seam between a job's decisions and SQL.
 * Jobs see only this interface, so their unit specs run on in-memory fakes
 * (test/support/fake-repositories.ts) and their integration tests on PostgreSQL.
 */
export function createRepositories(db: Db) {
  return {
    vps: {
      load: (id: string) => loadVps(db, id),
      count: () => countVps(db),
      pricedServiceIds: () => pricedServiceIds(db),
      loadChunk: (o: { after: string | null; size: number }) => loadVpsChunk(db, o),
      writeCosts: (costs: readonly VpsCost[], o: { write: WriteContext; anomaly?: AnomalyRule }) =>
        writeVpsCosts(db, costs, o),
      markUnpriced: (items: readonly VpsUnpriced[]) => markVpsUnpriced(db, items),
    },
    ips: {
      reprice: (scope: IpScope, o: RepriceIpsOptions) => repriceIps(db, scope, o),
      repriceAll: (constantCents: bigint, o: RepriceAllOptions & { write: WriteContext }) =>
        repriceAllIps(db, constantCents, o),
    },
    settings: {
      ipConstantCents: () => getIpConstantCents(db),
      recordSuccessfulReconciliation: (runId: string, at: Date) => recordSuccessfulReconciliation(db, runId, at),
    },
    runs: {
      open: (o: { jobKey: string; trigger: string }) => openRun(db, o),
      commitChunk: (o: CommitOptions) => commitChunk(db, o),
      addCalls: (runId: string, calls: Partial<CallsByPurpose>) => addRunCalls(db, runId, calls),
      recordGroups: (runId: string, o: { groups: readonly GroupPlan[]; mismatches: readonly CatalogueMismatch[] }) =>
        recordGroups(db, runId, o),
      loadGroups: (runId: string) => loadGroups(db, runId),
      checkedSoFar: (runId: string) => runCheckedSoFar(db, runId),
      complete: (runId: string, ip: { checked: number; changed: number; skipped: number }) =>
        completeRun(db, runId, ip),
      fail: (runId: string, error: string) => failRun(db, runId, error),
    },
    untracked: untrackedRepository(db),
    attribution: { refresh: () => refreshAttribution(db) },
    monthClose: {
      inForce: (month: string) => closeInForce(db, month),
      close: (r: CloseRequest) => closeMonth(db, r),
      firstHistoryMonth: () => firstHistoryMonth(db),
    },
    maintenance: { vacuumCostTables: () => vacuumCostTables(db) },
    priceWatch: createPriceWatchStore(db),
  };
}

/** What a reconciliation records of the instances Hostwinds lists: untracked ones, host names, ghost rows. */
function untrackedRepository(db: Db) {
  return {
    clock: () => databaseClock(db),
    referencedServiceIds: () => referencedServiceIds(db),
    recorded: (runId: string) => recordedUntracked(db, runId),
    record: (runId: string, items: readonly UntrackedInstance[]) => recordUntracked(db, runId, items),
    recordListed: (runId: string, items: readonly ListedHost[]) => recordListed(db, runId, items),
    summarise: (runId: string, listed: readonly string[]) => summariseUntracked(db, runId, listed),
    recordGhosts: (check: GhostCheck) => recordGhosts(db, check),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
