import type { CloseRequest } from "../../src/db/month-end/month-close.js";
import type { AnomalyRule, CostChange, WriteContext } from "../../src/db/writes/cost-writes.js";
import type { IpRepricing, IpScope } from "../../src/db/writes/ip-costs.js";
import type { Repositories } from "../../src/db/repositories.js";
import type { CommitOptions } from "../../src/db/writes/run-chunk.js";
import type { CatalogueMismatch, GroupPlan } from "../../src/db/writes/run-groups.js";
import type { Run, RunSummary } from "../../src/db/writes/runs.js";
import { fakeMonthClose } from "./fake-month-close.js";
import type { VpsCost, VpsFacts, VpsRow, VpsUnpriced, VpsWrite } from "../../src/db/writes/vps-costs.js";
import { FakeUntrackedStore, fakeUntracked } from "./fake-untracked.js";

/**
 * An in-memory model of what the repositories read and write, with the same rules as their SQL
 * (an override wins over any other cost; a write whose facts moved is skipped; a change is recorded
 * once in history; IPs follow the IP rule and skip a constant that moved), so that a job's
 * decisions can be specified without PostgreSQL. The integration tests prove the SQL itself.
 */
export interface FakeVps {
  id: string;
  serviceId: string | null;
  status: string;
  overrideCents: bigint | null;
  costCents: bigint;
  source: string | null;
  unpricedReason: string | null;
}

export interface FakeIp {
  id: string;
  vpsId: string | null;
  overrideCents: bigint | null;
  costCents: bigint;
  source: string | null;
}

export interface HistoryRow extends CostChange {
  kind: "vps" | "ip";
  reason: string;
  jobId: string;
  changedBy: string | null;
}

export class FakeStore {
  readonly vps = new Map<string, FakeVps>();
  readonly ips = new Map<string, FakeIp>();
  readonly history: HistoryRow[] = [];
  readonly anomalies: { runId: string; id: string }[] = [];
  readonly runs = new Map<string, RunSummary & { jobKey: string; cursor: string | null }>();
  /** The plan groups each run recorded, and the catalogue mismatches found. */
  readonly groups = new Map<string, GroupPlan[]>();
  readonly mismatches: CatalogueMismatch[] = [];
  /** `${runId}/${vpsId}` -> reason: the VPS each run could not price. */
  readonly runUnpriced = new Map<string, string>();
  readonly untracked = new FakeUntrackedStore();
  ipConstantCents = 499n;
  /** Runs before each chunk commits (the n-th, from 1): where a test moves the world under a run, or fails a commit. */
  beforeCommit: (n: number) => void = () => undefined;
  commits = 0;
  refreshes = 0;
  vacuums = 0;
  lastReconciliation: { runId: string; at: Date } | undefined;
  /** The month closes made (test/support/fake-month-close.ts). */
  readonly monthCloses: CloseRequest[] = [];

  addVps(v: Partial<FakeVps> & { id: string }): FakeVps {
    const row = {
      serviceId: null,
      status: "active",
      overrideCents: null,
      costCents: 0n,
      source: null,
      unpricedReason: null,
      ...v,
    };
    this.vps.set(row.id, row);
    return row;
  }

  addIp(ip: Partial<FakeIp> & { id: string }): FakeIp {
    const row = { vpsId: null, overrideCents: null, costCents: 0n, source: null, ...ip };
    this.ips.set(row.id, row);
    return row;
  }
}

const toRow = (v: FakeVps): VpsRow => ({
  id: v.id,
  serviceId: v.serviceId,
  status: v.status,
  overrideCents: v.overrideCents,
  costCents: v.costCents,
});

function record(store: FakeStore, kind: "vps" | "ip", change: CostChange, write: WriteContext): boolean {
  const dup = store.history.some(
    (h) => h.kind === kind && h.id === change.id && h.jobId === write.jobId && h.newCents === change.newCents,
  );
  if (!dup)
    store.history.push({
      ...change,
      kind,
      reason: write.reason,
      jobId: write.jobId,
      changedBy: write.changedBy ?? null,
    });
  return !dup;
}

function anomalyCount(store: FakeStore, changes: readonly CostChange[], rule: AnomalyRule | undefined): number {
  if (!rule) return 0;
  let n = 0;
  for (const c of changes) {
    const old = c.oldCents ?? 0n;
    if (old === 0n) continue; // a first pricing is not an anomaly
    const delta = c.newCents > old ? c.newCents - old : old - c.newCents;
    if (delta >= rule.usdCents && delta * 100n >= BigInt(Math.round(rule.percent)) * old) {
      store.anomalies.push({ runId: rule.runId, id: c.id });
      n++;
    }
  }
  return n;
}

const factsHold = (v: FakeVps, f: VpsFacts) =>
  v.serviceId === f.serviceId && v.status === f.status && v.overrideCents === f.overrideCents;

function writeVps(
  store: FakeStore,
  costs: readonly VpsCost[],
  o: { write: WriteContext; anomaly?: AnomalyRule },
): VpsWrite {
  const changes: CostChange[] = [];
  const skipped: string[] = [];
  for (const c of costs) {
    const v = store.vps.get(c.id);
    if (!v) continue;
    if (!factsHold(v, c.facts)) {
      skipped.push(v.id);
      continue;
    }
    if (v.overrideCents !== null && !(c.source === "override" && c.cents === v.overrideCents)) continue;
    const change = { id: v.id, oldCents: v.costCents, newCents: c.cents, source: c.source };
    const moved = v.costCents !== c.cents;
    Object.assign(v, { costCents: c.cents, source: c.source, unpricedReason: null });
    if (moved && record(store, "vps", change, o.write)) changes.push(change);
  }
  return { changes, anomalies: anomalyCount(store, changes, o.anomaly), skipped };
}

function markUnpriced(store: FakeStore, items: readonly VpsUnpriced[]): { skipped: string[] } {
  const skipped: string[] = [];
  for (const i of items) {
    const v = store.vps.get(i.id);
    if (v && factsHold(v, i.facts)) v.unpricedReason = i.reason;
    else if (v) skipped.push(i.id);
  }
  return { skipped };
}

function ipRule(store: FakeStore, ip: FakeIp, constantCents: bigint): { cents: bigint; source: string } {
  if (ip.overrideCents !== null) return { cents: ip.overrideCents, source: "override" };
  const vps = ip.vpsId === null ? undefined : store.vps.get(ip.vpsId);
  if (!vps) return { cents: 0n, source: "no vps" };
  if (vps.status === "decommissioned") return { cents: 0n, source: "vps decommissioned" };
  return { cents: constantCents, source: "system_config cost_sync.smtp_ip_monthly_cost_usd" };
}

function inScope(ip: FakeIp, scope: IpScope): boolean {
  if ("orphans" in scope) return ip.vpsId === null;
  if ("ipIds" in scope) return scope.ipIds.includes(ip.id);
  return ip.vpsId !== null && scope.vpsIds.includes(ip.vpsId);
}

function repriceIps(
  store: FakeStore,
  scope: IpScope,
  o: { constantCents: bigint; write: WriteContext; anomaly?: AnomalyRule },
): IpRepricing {
  const changes: CostChange[] = [];
  let checked = 0;
  let skipped = 0;
  for (const ip of store.ips.values()) {
    if (!inScope(ip, scope)) continue;
    checked++;
    const r = ipRule(store, ip, o.constantCents);
    // A constant Finance changed since the writer read it is not written back.
    if (r.source.startsWith("system_config") && store.ipConstantCents !== o.constantCents) {
      skipped++;
      continue;
    }
    const change = { id: ip.id, oldCents: ip.costCents, newCents: r.cents, source: r.source };
    const moved = ip.costCents !== r.cents;
    Object.assign(ip, { costCents: r.cents, source: r.source });
    if (moved && record(store, "ip", change, o.write)) changes.push(change);
  }
  return { checked, changed: changes.length, skipped, anomalies: anomalyCount(store, changes, o.anomaly), changes };
}

function emptySummary(id: string, trigger: string): RunSummary {
  return {
    id,
    status: "running",
    trigger,
    startedAt: new Date(),
    finishedAt: null,
    vpsChecked: 0,
    vpsChanged: 0,
    vpsUnpriced: 0,
    vpsFailed: 0,
    ipChecked: 0,
    ipChanged: 0,
    vpsSkipped: 0,
    ipSkipped: 0,
    anomalies: 0,
    hostwindsCalls: 0,
    callsList: 0,
    callsLearn: 0,
    callsVerify: 0,
    callsFallback: 0,
    totalBefore: null,
    totalAfter: null,
    monthlyCostDifference: null,
    error: null,
  };
}

function runsOf(store: FakeStore): Repositories["runs"] {
  const get = (id: string) => {
    const run = store.runs.get(id);
    if (!run) throw new Error(`no run ${id}`);
    return run;
  };
  return {
    open: ({ jobKey, trigger }): Promise<Run> => {
      let run = [...store.runs.values()].find((r) => r.jobKey === jobKey);
      if (!run) {
        run = { ...emptySummary(`run-${String(store.runs.size + 1)}`, trigger), jobKey, cursor: null };
        store.runs.set(run.id, run);
      } else if (run.status === "failed") run.status = "running";
      return Promise.resolve({ id: run.id, status: run.status as Run["status"], cursor: run.cursor });
    },
    commitChunk: (o: CommitOptions) => {
      store.beforeCommit(++store.commits);
      const run = get(o.run.id);
      const vps = writeVps(store, o.chunk.costs, { write: o.write, anomaly: o.run.anomaly });
      const marked = markUnpriced(store, o.chunk.unpriced);
      const unpriced = o.chunk.unpriced.filter((u) => !marked.skipped.includes(u.id));
      for (const u of unpriced) store.runUnpriced.set(`${o.run.id}/${u.id}`, u.reason);
      const ips = repriceIps(
        store,
        { vpsIds: o.chunk.vpsIds },
        { constantCents: o.constantCents, write: o.write, anomaly: o.run.anomaly },
      );
      Object.assign(run, {
        cursor: o.chunk.vpsIds.at(-1) ?? run.cursor,
        vpsChecked: run.vpsChecked + o.chunk.vpsIds.length,
        vpsChanged: run.vpsChanged + vps.changes.length,
        vpsUnpriced: run.vpsUnpriced + unpriced.length,
        hostwindsCalls: run.hostwindsCalls + o.chunk.calls,
        callsFallback: run.callsFallback + o.chunk.calls,
        ipChecked: run.ipChecked + ips.checked,
        ipChanged: run.ipChanged + ips.changed,
        vpsSkipped: run.vpsSkipped + vps.skipped.length + marked.skipped.length,
        ipSkipped: run.ipSkipped + ips.skipped,
      });
      const vpsSkipped = vps.skipped.length + marked.skipped.length;
      return Promise.resolve({ anomalies: vps.anomalies + ips.anomalies, vpsSkipped, ipSkipped: ips.skipped });
    },
    checkedSoFar: (runId) => Promise.resolve(get(runId).vpsChecked),
    addCalls: (runId, calls) => {
      const run = get(runId);
      const c = { list: 0, learn: 0, verify: 0, fallback: 0, ...calls };
      run.hostwindsCalls += c.list + c.learn + c.verify + c.fallback;
      Object.assign(run, {
        callsList: run.callsList + c.list,
        callsLearn: run.callsLearn + c.learn,
        callsVerify: run.callsVerify + c.verify,
        callsFallback: run.callsFallback + c.fallback,
      });
      return Promise.resolve();
    },
    recordGroups: (runId, o) => {
      if (!store.groups.has(runId)) store.groups.set(runId, [...o.groups]);
      store.mismatches.push(...o.mismatches);
      return Promise.resolve();
    },
    loadGroups: (runId) => Promise.resolve(store.groups.get(runId) ?? []),
    complete: (runId, ip) => {
      const run = get(runId);
      Object.assign(run, {
        status: "completed",
        finishedAt: new Date(),
        ipChecked: run.ipChecked + ip.checked,
        ipSkipped: run.ipSkipped + ip.skipped,
        ipChanged: run.ipChanged + ip.changed,
      });
      run.anomalies = store.anomalies.filter((a) => a.runId === runId).length;
      return Promise.resolve({ ...run });
    },
    fail: (runId, error) => Promise.resolve(void Object.assign(get(runId), { status: "failed", error })),
  };
}

/** Repositories over a FakeStore: the same interface the jobs get in production. */
export function fakeRepositories(store: FakeStore): Repositories {
  const sortedVps = () => [...store.vps.values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    vps: {
      load: (id) => Promise.resolve(store.vps.has(id) ? toRow(store.vps.get(id) as FakeVps) : undefined),
      loadChunk: ({ after, size }) =>
        Promise.resolve(
          sortedVps()
            .filter((v) => after === null || v.id > after)
            .slice(0, size)
            .map(toRow),
        ),
      count: () => Promise.resolve(store.vps.size),
      pricedServiceIds: () =>
        Promise.resolve(
          new Set(
            [...store.vps.values()]
              .filter(
                (v) => v.status !== "decommissioned" && v.overrideCents === null && /^\d+$/.test(v.serviceId ?? ""),
              )
              .map((v) => Number(v.serviceId)),
          ),
        ),
      writeCosts: (costs, o) => Promise.resolve(writeVps(store, costs, o)),
      markUnpriced: (items) => Promise.resolve(markUnpriced(store, items)),
    },
    ips: {
      reprice: (scope, o) => Promise.resolve(repriceIps(store, scope, o)),
      repriceAll: (constantCents, o) => {
        const r = repriceIps(store, { ipIds: [...store.ips.keys()] }, { constantCents, write: o.write });
        return Promise.resolve({ checked: r.checked, changed: r.changed, skipped: r.skipped });
      },
    },
    settings: {
      ipConstantCents: () => Promise.resolve(store.ipConstantCents),
      recordSuccessfulReconciliation: (runId, at) => Promise.resolve(void (store.lastReconciliation = { runId, at })),
    },
    runs: runsOf(store),
    untracked: fakeUntracked(store.untracked, () => store.vps.values()),
    // The price watch's data is tested against PostgreSQL (test/price-watch.test.ts).
    priceWatch: new Proxy({} as Repositories["priceWatch"], {
      get: (_t, name) => () => Promise.reject(new Error(`fake repositories: priceWatch.${String(name)} is not faked`)),
    }),
    attribution: {
      refresh: () => {
        store.refreshes++;
        return Promise.resolve([]);
      },
    },
    monthClose: fakeMonthClose(store.monthCloses),
    maintenance: {
      vacuumCostTables: () => {
        store.vacuums++;
        return Promise.resolve();
      },
    },
  };
}
