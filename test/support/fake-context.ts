import { loadConfig } from "../../src/config/env.js";
import type { Catalogue, CatalogueSource } from "../../src/hostwinds/catalogue-cache.js";
import { hostwindsError } from "../../src/hostwinds/errors.js";
import type { PlanEntry, PlanStore } from "../../src/hostwinds/plan-map.js";
import type { InstanceList, RejectedInstance } from "../../src/hostwinds/instance-list.js";
import type {
  BillingCyclePrices,
  Instance,
  ListedInstance,
  PriceOption,
  UpgradeOrder,
} from "../../src/hostwinds/schemas.js";
import type { FollowUps, HostwindsReader, JobContext, JobInfo } from "../../src/jobs/context.js";
import { createLogger } from "../../src/logger.js";
import { noAnalytics, type Analytics } from "../../src/ops/analytics.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { FakeStore, fakeRepositories } from "./fake-repositories.js";

/** Plan rid -> recurring price per cycle, as get_price_list sends them (strings). */
export const PLANS: Record<string, Partial<PriceOption>> = {
  "10": { ram: "2", cpu: "1", disk: "50", monthly: "9.99", quarterly: "29.97", annually: "119.88" },
  "11": { ram: "4", cpu: "2", disk: "75", monthly: "19.99", quarterly: "10.00", annually: "-1.00" },
};

/** An instance as get_instance(s) describes it: its cycle, product and specs (the product is the plan here, as in the simulator). */
function listed(
  serviceid: number,
  i: { rid: string; billingcycle: Instance["billingcycle"]; productId?: null },
): ListedInstance {
  const p = PLANS[i.rid];
  return {
    serviceid,
    billingcycle: i.billingcycle,
    hourly: i.billingcycle === "hourly",
    // No product id: the instance cannot be grouped and is priced on its own.
    product_id: i.productId === null ? undefined : i.rid,
    ram: p?.ram,
    cpu: p?.cpu,
    disk: p?.disk,
  };
}

/** The shared catalogue, in memory: counts its fetches. */
export class FakeCatalogue implements CatalogueSource {
  copy: Catalogue | undefined;
  fetches = 0;
  async get(fetch: () => Promise<PriceOption[]>): Promise<Catalogue> {
    return this.copy ?? this.refresh(fetch);
  }
  async refresh(fetch: () => Promise<PriceOption[]>): Promise<Catalogue> {
    this.fetches++;
    this.copy = { version: this.fetches, fetchedAt: Date.now(), options: await fetch() };
    return this.copy;
  }
}

/** Learned plans, in memory. */
export class FakePlans implements PlanStore {
  readonly plans = new Map<string, PlanEntry>();
  get(key: string): Promise<PlanEntry | undefined> {
    return Promise.resolve(this.plans.get(key));
  }
  set(key: string, plan: PlanEntry): Promise<void> {
    this.plans.set(key, plan);
    return Promise.resolve();
  }
}

/** An in-memory Hostwinds that answers what the jobs ask, counts the calls, and fails on request. */
export class FakeHostwinds implements HostwindsReader {
  readonly calls: { action: string; serviceid?: number }[] = [];
  readonly instances = new Map<
    number,
    {
      rid: string;
      billingcycle: Instance["billingcycle"];
      pendingTotal?: string;
      quote?: Partial<PriceOption>;
      productId?: null;
    }
  >();
  /** Elements get_instances reports as rejected (the client's per-element validation). */
  readonly rejected: RejectedInstance[] = [];
  /** `action` or `action:serviceid` -> the error that call throws. */
  readonly failures = new Map<string, Error>();
  /** Runs inside each call, before it answers: where a test makes the world move under a job. */
  onCall: (action: string, serviceid?: number) => void = () => undefined;

  #call(action: string, serviceid?: number): void {
    this.calls.push({ action, serviceid });
    this.onCall(action, serviceid);
    const failure = this.failures.get(`${action}:${String(serviceid)}`) ?? this.failures.get(action);
    if (failure) throw failure;
  }

  #instance(action: string, serviceid: number) {
    const i = this.instances.get(serviceid);
    if (!i)
      throw hostwindsError({ kind: "input", action: action, what: "error: invalid serviceid", secret: undefined });
    return i;
  }

  getInstance(serviceid: number): Promise<Instance> {
    this.#call("get_instance", serviceid);
    const i = this.#instance("get_instance", serviceid);
    return Promise.resolve(listed(serviceid, i));
  }

  getInstances(): Promise<InstanceList> {
    this.#call("get_instances");
    return Promise.resolve({
      instances: [...this.instances].map(([serviceid, i]) => listed(serviceid, i)),
      rejected: [...this.rejected],
    });
  }

  getPriceList(serviceid?: number): Promise<PriceOption[]> {
    this.#call("get_price_list", serviceid);
    const mine = serviceid === undefined ? undefined : this.#instance("get_price_list", serviceid);
    return Promise.resolve(
      Object.entries(PLANS).map(([rid, p]) =>
        rid === mine?.rid ? { ...p, ...mine.quote, rid, current: true } : { ...p, rid, current: false },
      ),
    );
  }

  getBillingCyclePrices(serviceid?: number): Promise<BillingCyclePrices> {
    this.#call("get_billingcycle_prices", serviceid);
    return Promise.resolve({ kind: "none" });
  }

  checkUpgradeOrder(serviceid: number): Promise<UpgradeOrder> {
    this.#call("check_upgrade_order", serviceid);
    const total = this.#instance("check_upgrade_order", serviceid).pendingTotal;
    if (!total)
      throw hostwindsError({
        kind: "input",
        action: "check_upgrade_order",
        what: "error: No pending upgrade order",
        secret: undefined,
      });
    return Promise.resolve({ total });
  }
}

/** The follow-up producer: records what a job asks for. */
export class FakeFollowUps implements FollowUps {
  readonly refreshes: { reason: string; delayMs?: number }[] = [];
  readonly syncs: { vpsId: string; reason: string; ownPrice?: boolean }[] = [];
  enqueueVpsCostSync(
    vpsId: string,
    o: { reason: string; ownPrice?: boolean },
  ): ReturnType<FollowUps["enqueueVpsCostSync"]> {
    this.syncs.push({ vpsId, ...o });
    return Promise.resolve({ id: String(this.syncs.length) }) as unknown as ReturnType<FollowUps["enqueueVpsCostSync"]>;
  }
  enqueueAttributionRefresh(o: {
    reason: string;
    delayMs?: number;
  }): ReturnType<FollowUps["enqueueAttributionRefresh"]> {
    this.refreshes.push(o);
    return Promise.resolve({ id: String(this.refreshes.length) }) as unknown as ReturnType<
      FollowUps["enqueueAttributionRefresh"]
    >;
  }
}

export interface FakeWorld {
  store: FakeStore;
  hostwinds: FakeHostwinds;
  followUps: FakeFollowUps;
  events: { event: string; properties: Record<string, unknown> }[];
  /** Abort it to ask the jobs to stop, as a worker's shutdown does. */
  stop: AbortController;
  catalogue: FakeCatalogue;
  plans: FakePlans;
  ctx: JobContext;
}

/** A job context on in-memory fakes: no Postgres, no Redis, no HTTP. */
export function fakeWorld(env: Record<string, string> = {}): FakeWorld {
  const store = new FakeStore();
  const hostwinds = new FakeHostwinds();
  const followUps = new FakeFollowUps();
  const events: FakeWorld["events"] = [];
  const stop = new AbortController();
  const catalogue = new FakeCatalogue();
  const plans = new FakePlans();
  const analytics: Analytics = {
    ...noAnalytics,
    capture: (event, properties) => void events.push({ event, properties }),
  };
  const cfg = loadConfig({ DATABASE_URL: "postgresql://unused@127.0.0.1/unused", RECONCILE_CHUNK_SIZE: "2", ...env });
  const ctx: JobContext = {
    cfg,
    repos: fakeRepositories(store),
    hostwinds,
    hostwindsBulk: hostwinds,
    catalogue,
    plans,
    producer: followUps,
    metrics: createMetrics(),
    analytics,
    attributionRefreshDelayMs: 0,
    reconcileConcurrency: 2,
    shutdown: stop.signal,
  };
  return { store, hostwinds, followUps, events, stop, catalogue, plans, ctx };
}

let nextJob = 1;
/** A job as a handler sees it: an id, a creation time, its attempts. */
export function fakeJob(o: Partial<JobInfo> = {}): JobInfo & { progress: unknown[] } {
  const progress: unknown[] = [];
  return {
    id: String(nextJob++),
    timestamp: Date.UTC(2026, 10, 26),
    attemptsMade: 0,
    stalledCounter: 0,
    updateProgress: (p: unknown) => Promise.resolve(void progress.push(p)),
    progress,
    ...o,
  };
}

export const silentLog = createLogger("silent");
