import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { MUTATING_ACTIONS, READ_ONLY_ACTIONS } from "../../src/hostwinds/actions.js";
import { BILLING_CYCLES } from "../../src/hostwinds/schemas.js";
import { Catalogue, type SimInstance, type SimPlan } from "./catalogue.js";
import { FaultPlan, type Fault } from "./faults.js";

export interface RecordedRequest {
  action: string;
  /** Every parameter except the key. */
  params: Record<string, string>;
  keyPresent: boolean;
  keyValid: boolean;
}

export interface SimulatorOptions {
  catalogue?: Catalogue;
  /** The key the simulator accepts; compared by hash, never stored in clear or recorded. */
  apiKey?: string;
  /** Latency added to every answer. */
  latencyMs?: number;
  /** Serve get_instances without the `{success}` wrapper (a documented variant). */
  bareInstances?: boolean;
}

const KNOWN_ACTIONS = new Set<string>([...READ_ONLY_ACTIONS, ...MUTATING_ACTIONS]);
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * A loopback HTTP server that speaks the documented Hostwinds Cloud API:
 * read actions answered from a catalogue, mutating actions accepted and
 * recorded (so tests can prove none was sent), faults injectable.
 */
export class HostwindsSimulator {
  readonly catalogue: Catalogue;
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  latencyMs: number;
  readonly #keyHash: string | undefined;
  readonly #bareInstances: boolean;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #instancesCache: { version: number; json: string } | undefined;
  #priceListCache: { version: number; byCurrent: Map<string, string> } | undefined;
  #url = "";

  constructor(opts: SimulatorOptions = {}) {
    this.catalogue = opts.catalogue ?? new Catalogue();
    this.#keyHash = opts.apiKey ? sha(opts.apiKey) : undefined;
    this.latencyMs = opts.latencyMs ?? 0;
    this.#bareInstances = opts.bareInstances ?? false;
  }

  get url(): string {
    return this.#url;
  }

  async start(port = 0, host = "127.0.0.1"): Promise<string> {
    const server = createServer({ keepAlive: true }, (req, res) => void this.#handle(req, res));
    server.on("connection", (s) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.#server = server;
    const { port: bound } = server.address() as AddressInfo;
    this.#url = `http://${host}:${bound}/cloud/api.php`;
    return this.#url;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Recorded requests, optionally of one action. */
  requestsFor(action: string): RecordedRequest[] {
    return this.requests.filter((r) => r.action === action);
  }

  /** Shorthand for `faults.add`. */
  inject(fault: Fault, opts?: { action?: string; serviceid?: string | number; times?: number }): void {
    this.faults.add(fault, opts);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const action = form.get("action") ?? "";
    const key = form.get("API");
    form.delete("API");
    const params = Object.fromEntries(form);
    delete params.action;
    const keyValid = key !== null && (this.#keyHash === undefined || sha(key) === this.#keyHash);
    this.requests.push({ action, params, keyPresent: key !== null, keyValid });

    const fault = this.faults.take(action, params.serviceid);
    const latency = this.latencyMs + (fault?.type === "latency" ? fault.ms : 0);
    if (latency > 0) await sleep(latency);
    if (fault && fault.type !== "latency") {
      this.#fault(fault, action, res);
      return;
    }
    if (!keyValid) {
      send(res, 200, [{ result: "error", action, message: "Not Authorized!" }]);
      return;
    }
    if (!KNOWN_ACTIONS.has(action)) {
      send(res, 200, [{ result: "error", action, message: "Invalid action" }]);
      return;
    }
    if (!(READ_ONLY_ACTIONS as readonly string[]).includes(action)) {
      send(res, 200, [{ result: "success", action, message: "Order placed (simulated; recorded)" }]);
      return;
    }
    this.#read(action, params, res);
  }

  #read(action: string, params: Record<string, string>, res: ServerResponse): void {
    const c = this.catalogue;
    if (action === "get_instances") {
      if (this.#instancesCache?.version !== c.version) {
        const list = [...c.instances.values()].map((i) => this.#instanceJson(i));
        this.#instancesCache = {
          version: c.version,
          json: JSON.stringify(this.#bareInstances ? list : { success: list }),
        };
      }
      sendRaw(res, 200, this.#instancesCache.json);
      return;
    }
    const instance = params.serviceid === undefined ? undefined : c.instances.get(Number(params.serviceid));
    if (params.serviceid !== undefined && !instance) {
      send(res, 200, [{ result: "error", action, message: "invalid serviceid", ERROR: "SERVICE_NOT_FOUND" }]);
      return;
    }
    switch (action) {
      case "get_price_list": {
        // One answer per (catalogue version, current plan): a reconciliation asks 100k times.
        if (this.#priceListCache?.version !== c.version)
          this.#priceListCache = { version: c.version, byCurrent: new Map() };
        const current = instance?.rid ?? "";
        let json = this.#priceListCache.byCurrent.get(current);
        if (json === undefined) {
          const out: Record<string, unknown> = {};
          for (const p of c.plans.values()) out[p.rid] = planJson(p, current === p.rid);
          json = JSON.stringify({ success: out });
          this.#priceListCache.byCurrent.set(current, json);
        }
        sendRaw(res, 200, json);
        return;
      }
      case "get_billingcycle_prices": {
        const plan = instance ? c.plans.get(instance.rid) : undefined;
        const out: Record<string, { price: string; duedate: string }> = {};
        for (const cycle of BILLING_CYCLES) {
          const price = plan?.prices[cycle];
          if (price !== undefined) out[cycle] = { price, duedate: "2026-12-01" };
        }
        send(res, 200, { success: out });
        return;
      }
      case "get_instance":
        if (!instance) {
          send(res, 200, [{ result: "error", action, message: "A valid serviceid is required." }]);
          return;
        }
        {
          send(res, 200, { success: this.#instanceJson(instance) });
          return;
        }
      case "check_upgrade_order":
        if (!instance) {
          send(res, 200, [{ result: "error", action, message: "A valid serviceid is required." }]);
          return;
        }
        if (!instance.pendingUpgrade) {
          send(res, 200, [{ result: "error", action, message: "No pending upgrade order" }]);
          return;
        }
        {
          send(res, 200, {
            success: { id: String(instance.serviceid), orderid: "9001", invoiceid: "7001", ...instance.pendingUpgrade },
          });
          return;
        }
    }
  }

  #instanceJson(i: SimInstance) {
    const plan = this.catalogue.plans.get(i.rid);
    return {
      serviceid: i.serviceid,
      billingcycle: i.billingcycle === "hourly" ? "Hourly" : i.billingcycle,
      hourly: i.hourly || i.billingcycle === "hourly" ? 1 : 0,
      product_id: i.rid,
      product_name: plan?.name ?? "unknown",
      ram: plan?.ram,
      cpu: plan?.cpu,
      disk: plan?.disk,
      status: i.status ?? "Active",
      main_ip: `198.51.100.${i.serviceid % 250}`,
      ips: [],
    };
  }

  #fault(fault: Fault, action: string, res: ServerResponse): void {
    switch (fault.type) {
      case "status":
        if (fault.retryAfterSeconds !== undefined) res.setHeader("retry-after", String(fault.retryAfterSeconds));
        {
          sendRaw(res, fault.status, JSON.stringify([{ result: "error", action, message: `HTTP ${fault.status}` }]));
          return;
        }
      case "hang":
        return; // never answers; the client's deadline must fire
      case "reset":
        res.socket?.destroy();
        return;
      case "malformed": {
        sendRaw(res, 200, '{"success": {"10": {"rid": "10", "monthly": "9.');
        return;
      }
      case "error-array": {
        send(res, 200, [{ result: "error", action, message: fault.message, ERROR: "SIMULATED" }]);
        return;
      }
      case "auth": {
        send(res, 200, [{ result: "error", action, message: "Not Authorized!" }]);
        return;
      }
      case "wrong-shape": {
        send(res, 200, { success: { "10": { rid: "10", monthly: 9.99, note: "price as a JSON number" } } });
        return;
      }
    }
  }
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

function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body));
}

function sendRaw(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}
