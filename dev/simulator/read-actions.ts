import type { ServerResponse } from "node:http";
import type { ReadOnlyAction } from "../../src/hostwinds/actions.js";
import { BILLING_CYCLES } from "../../src/hostwinds/schemas.js";
import type { Catalogue, SimInstance, SimPlan } from "./catalogue.js";
import { send, sendRaw } from "./send.js";

/** One read of one instance (absent when the request named no serviceid). */
interface InstanceRead {
  action: string;
  instance: SimInstance | undefined;
  res: ServerResponse;
}

/**
 * The simulator's answers to the read-only actions, from its catalogue. The two large answers
 * are cached per catalogue version.
 */
export class ReadActions {
  readonly #catalogue: Catalogue;
  readonly #bareInstances: boolean;
  #instancesCache: { version: number; json: string } | undefined;
  #priceListCache: { version: number; byCurrent: Map<string, string> } | undefined;

  /** Every read-only action but get_instances, which names no instance. */
  readonly #byAction: Record<Exclude<ReadOnlyAction, "get_instances">, (r: InstanceRead) => void> = {
    get_price_list: (r) => this.#priceList(r),
    get_billingcycle_prices: (r) => this.#billingCyclePrices(r),
    get_instance: (r) => this.#instance(r),
    check_upgrade_order: (r) => this.#upgradeOrder(r),
  };

  constructor(catalogue: Catalogue, o: { bareInstances: boolean }) {
    this.#catalogue = catalogue;
    this.#bareInstances = o.bareInstances;
  }

  answer(action: ReadOnlyAction, params: Record<string, string>, res: ServerResponse): void {
    if (action === "get_instances") {
      this.#instances(res);
      return;
    }
    const instance =
      params.serviceid === undefined ? undefined : this.#catalogue.instances.get(Number(params.serviceid));
    if (params.serviceid !== undefined && !instance) {
      send(res, 200, [{ result: "error", action, message: "invalid serviceid", ERROR: "SERVICE_NOT_FOUND" }]);
      return;
    }
    this.#byAction[action]({ action, instance, res });
  }

  #instances(res: ServerResponse): void {
    const c = this.#catalogue;
    if (this.#instancesCache?.version !== c.version) {
      const list = [...c.instances.values()].map((i) => instanceJson(c, i));
      this.#instancesCache = {
        version: c.version,
        json: JSON.stringify(this.#bareInstances ? list : { success: list }),
      };
    }
    sendRaw(res, 200, this.#instancesCache.json);
  }

  #priceList({ instance, res }: InstanceRead): void {
    const c = this.#catalogue;
    // One answer per (catalogue version, current plan): a reconciliation asks 100k times.
    if (this.#priceListCache?.version !== c.version)
      this.#priceListCache = { version: c.version, byCurrent: new Map() };
    const current = instance?.rid ?? "";
    if (instance?.quote) {
      sendRaw(res, 200, quotedPriceList(c, instance));
      return;
    }
    let json = this.#priceListCache.byCurrent.get(current);
    if (json === undefined) {
      const out: Record<string, unknown> = {};
      for (const p of c.plans.values()) out[p.rid] = planJson(p, current === p.rid);
      json = JSON.stringify({ success: out });
      this.#priceListCache.byCurrent.set(current, json);
    }
    sendRaw(res, 200, json);
  }

  #billingCyclePrices({ instance, res }: InstanceRead): void {
    const plan = instance ? this.#catalogue.plans.get(instance.rid) : undefined;
    const out: Record<string, { price: string; duedate: string }> = {};
    for (const cycle of BILLING_CYCLES) {
      const price = plan?.prices[cycle];
      if (price !== undefined) out[cycle] = { price, duedate: "2026-12-01" };
    }
    send(res, 200, { success: out });
  }

  #instance({ action, instance, res }: InstanceRead): void {
    if (!instance) {
      send(res, 200, [{ result: "error", action, message: "A valid serviceid is required." }]);
      return;
    }
    send(res, 200, { success: instanceJson(this.#catalogue, instance) });
  }

  #upgradeOrder({ action, instance, res }: InstanceRead): void {
    if (!instance) {
      send(res, 200, [{ result: "error", action, message: "A valid serviceid is required." }]);
      return;
    }
    if (!instance.pendingUpgrade) {
      send(res, 200, [{ result: "error", action, message: "No pending upgrade order" }]);
      return;
    }
    send(res, 200, {
      success: { id: String(instance.serviceid), orderid: "9001", invoiceid: "7001", ...instance.pendingUpgrade },
    });
  }
}

function instanceJson(catalogue: Catalogue, i: SimInstance) {
  const plan = catalogue.plans.get(i.rid);
  return {
    serviceid: i.serviceid,
    billingcycle: i.billingcycle === "hourly" ? "Hourly" : i.billingcycle,
    hourly: i.hourly || i.billingcycle === "hourly" ? 1 : 0,
    product_id: i.productId === null ? undefined : (i.productId ?? i.rid),
    product_name: plan?.name ?? "unknown",
    ram: plan?.ram,
    cpu: plan?.cpu,
    disk: plan?.disk,
    bandwidth: plan?.bandwidth,
    status: i.status ?? "Active",
    hostname: i.hostname ?? `sim-${String(i.serviceid)}.example.net`,
    main_ip: `198.51.100.${i.serviceid % 250}`,
    ips: [],
  };
}

/** get_price_list(serviceid) of an instance quoted its own prices for its current plan. */
function quotedPriceList(c: Catalogue, instance: SimInstance): string {
  const out: Record<string, unknown> = {};
  for (const p of c.plans.values()) {
    const quoted = p.rid === instance.rid ? { ...p, prices: { ...p.prices, ...instance.quote } } : p;
    out[p.rid] = planJson(quoted, p.rid === instance.rid);
  }
  return JSON.stringify({ success: out });
}

function planJson(p: SimPlan, current: boolean) {
  return {
    id: p.rid,
    name: p.name,
    ram: p.ram,
    cpu: p.cpu,
    disk: p.disk,
    bandwidth: p.bandwidth,
    ...Object.fromEntries(BILLING_CYCLES.map((c) => [c, p.prices[c] ?? ""])),
    mysort: Number(p.rid),
    current: current ? 1 : 0,
    promo: p.promo ?? {},
    percent: 0,
    rid: p.rid,
    mtotal: p.prices.monthly ?? "0.00",
    ...(p.pricing ? { pricing: p.pricing } : {}),
  };
}
