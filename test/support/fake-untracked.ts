import type { Repositories } from "../../src/db/repositories.js";
import type { GhostCheck, UntrackedFigures, UntrackedInstance } from "../../src/db/writes/untracked.js";
import { formatCents, parseUsdCents } from "../../src/money.js";

/** What the fake untracked repository holds: per run, its untracked instances, figures and ghosts. */
export class FakeUntrackedStore {
  readonly instances = new Map<string, Map<string, UntrackedInstance>>();
  readonly figures = new Map<string, UntrackedFigures>();
  readonly ghosts = new Map<string, GhostCheck>();
  records = 0;
  clock = new Date("2026-11-26T12:00:00Z");
}

interface VpsLike {
  serviceId: string | null;
  status: string | null;
}

const normalised = (sid: string | null): string | undefined =>
  sid !== null && /^\d+$/.test(sid.trim()) ? sid.trim().replace(/^0+(?=.)/, "") : undefined;

/** The untracked repository over the fake store: the same re-checks as the SQL, in memory. */
export function fakeUntracked(store: FakeUntrackedStore, rows: () => Iterable<VpsLike>): Repositories["untracked"] {
  const referenced = () => new Set([...rows()].map((v) => normalised(v.serviceId)).filter((s) => s !== undefined));
  const ofRun = (runId: string) => {
    const m = store.instances.get(runId) ?? new Map<string, UntrackedInstance>();
    store.instances.set(runId, m);
    return m;
  };
  return {
    clock: () => Promise.resolve(store.clock),
    referencedServiceIds: () => Promise.resolve(referenced()),
    recorded: (runId) => Promise.resolve(new Set(ofRun(runId).keys())),
    record: (runId, items) => {
      store.records++;
      const named = referenced();
      const written = items.filter((i) => !named.has(i.serviceid));
      for (const i of written) ofRun(runId).set(i.serviceid, i);
      return Promise.resolve(written.length);
    },
    recordListed: (_runId, items) => Promise.resolve(items.length),
    summarise: (runId, listed) => {
      const named = referenced();
      const m = ofRun(runId);
      for (const sid of m.keys()) if (named.has(sid) || !listed.includes(sid)) m.delete(sid);
      const kept = [...m.values()];
      const cents = kept.reduce((n, i) => n + (i.monthlyCost === null ? 0n : (parseUsdCents(i.monthlyCost) ?? 0n)), 0n);
      const figures = {
        instances: kept.length,
        unpriced: kept.filter((i) => i.monthlyCost === null).length,
        monthlyUsd: formatCents(cents),
      };
      store.figures.set(runId, figures);
      return Promise.resolve(figures);
    },
    recordGhosts: (check) => {
      store.ghosts.set(check.runId, check);
      if (!check.checked) return Promise.resolve(null);
      const live = new Set(check.live);
      const ghost = (v: VpsLike) => {
        const sid = normalised(v.serviceId);
        return sid !== undefined && v.status !== "decommissioned" && !live.has(sid);
      };
      return Promise.resolve([...rows()].filter(ghost).length);
    },
  };
}
