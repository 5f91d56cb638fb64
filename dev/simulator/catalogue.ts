import type { BillingCycle } from "../../src/hostwinds/schemas.js";

/** A plan as the simulator serves it; prices are strings as Hostwinds sends them. */
export interface SimPlan {
  rid: string;
  name: string;
  ram: string;
  cpu: string;
  disk: string;
  bandwidth: string;
  prices: Partial<Record<BillingCycle, string>>;
  /** First-period discounts: present to prove the worker ignores them. */
  promo?: Partial<Record<BillingCycle, { discount: string; pctoff: string; code: string }>>;
  /** Custom plans: per component, options with per-cycle prices; `current` marks the chosen one. */
  pricing?: Record<
    string,
    { options: Array<{ id: string; value: string; current?: number } & Partial<Record<BillingCycle, string>>> }
  >;
}

export interface SimInstance {
  serviceid: number;
  rid: string;
  billingcycle: "hourly" | BillingCycle;
  hourly?: boolean;
  /** As get_instances shows it: Active by default; Cancelled or Terminated for a server that has ended. */
  status?: string;
  /** Its hostname (default: sim-<serviceid>.example.net), what an operator finds an untracked server by. */
  hostname?: string;
  /** A pending upgrade order (check_upgrade_order), as the real API would hold after upgrade_instance. */
  pendingUpgrade?: { total: string; duedate: string };
  /**
   * Prices this one instance is quoted for its current plan in get_price_list(serviceid), where they
   * differ from the catalogue's (an account-specific price): what catalogue verification must catch.
   */
  quote?: Partial<Record<BillingCycle, string>>;
  /** The instance's product id (default: its plan's rid); null leaves it out, so it cannot be grouped. */
  productId?: string | null;
}

/** The plans used by the demo, tests and benchmark: every case pricing must handle. */
export const DEFAULT_PLANS: SimPlan[] = [
  {
    rid: "10",
    name: "Unmanaged Linux 1 CPU / 2 GB",
    ram: "2",
    cpu: "1",
    disk: "50",
    bandwidth: "2",
    prices: {
      monthly: "9.99",
      quarterly: "29.97",
      semiannually: "59.94",
      annually: "119.88",
      biennially: "239.76",
      triennially: "359.64",
    },
    promo: { monthly: { discount: "5.00", pctoff: "50", code: "FIRSTMONTH" } },
  },
  {
    rid: "11",
    name: "Unmanaged Linux 2 CPU / 4 GB",
    ram: "4",
    cpu: "2",
    disk: "75",
    bandwidth: "3",
    prices: {
      monthly: "19.99",
      quarterly: "10.00",
      semiannually: "113.94",
      annually: "215.88",
      biennially: "-1.00",
      triennially: "",
    },
  },
  {
    rid: "12",
    name: "Unmanaged Linux 4 CPU / 8 GB",
    ram: "8",
    cpu: "4",
    disk: "150",
    bandwidth: "4",
    prices: {
      monthly: "39.99",
      quarterly: "119.97",
      semiannually: "227.94",
      annually: "-1.00",
      biennially: "0.00",
      triennially: "",
    },
  },
  {
    rid: "20",
    name: "Custom",
    ram: "0",
    cpu: "0",
    disk: "0",
    bandwidth: "0",
    prices: { monthly: "0.00" },
    pricing: {
      ram: { options: [{ id: "r4", value: "4", current: 1, monthly: "8.00", quarterly: "24.00", annually: "96.00" }] },
      cpu: { options: [{ id: "c2", value: "2", current: 1, monthly: "6.50", quarterly: "19.50", annually: "78.00" }] },
      disk: {
        options: [{ id: "d100", value: "100", current: 1, monthly: "3.49", quarterly: "10.47", annually: "41.88" }],
      },
      bandwidth: {
        options: [{ id: "b2", value: "2", current: 1, monthly: "0.00", quarterly: "0.00", annually: "0.00" }],
      },
    },
  },
];

/** Plans and instances the simulator answers from; mutable so tests can change prices mid-run. */
export class Catalogue {
  readonly plans = new Map<string, SimPlan>();
  readonly instances = new Map<number, SimInstance>();
  #version = 0;

  constructor(plans: SimPlan[] = DEFAULT_PLANS, instances: SimInstance[] = []) {
    for (const p of plans) this.plans.set(p.rid, p);
    for (const i of instances) this.instances.set(i.serviceid, i);
  }

  /** Bumped on every change; the server caches serialised answers per version. */
  get version(): number {
    return this.#version;
  }

  setPlan(plan: SimPlan): void {
    this.plans.set(plan.rid, plan);
    this.#version++;
  }

  setInstance(instance: SimInstance): void {
    this.instances.set(instance.serviceid, instance);
    this.#version++;
  }

  /** Adds `count` instances with consecutive service ids, cycling through plans and cycles. */
  addGenerated(count: number, firstServiceId = 1): void {
    const rids = ["10", "11", "12"];
    const cycles = ["monthly", "quarterly", "semiannually", "monthly", "hourly"] as const;
    for (let n = 0; n < count; n++) {
      const cycle = cyclic(cycles, n);
      this.instances.set(firstServiceId + n, {
        serviceid: firstServiceId + n,
        rid: cyclic(rids, n),
        billingcycle: cycle,
        hourly: cycle === "hourly",
        status: "Active",
      });
    }
    this.#version++;
  }
}

/** The `n`th element of `items`, starting again from the first after the last. */
function cyclic<T>(items: readonly T[], n: number): T {
  const item = items[n % items.length];
  if (item === undefined) throw new Error("cyclic: no items");
  return item;
}
