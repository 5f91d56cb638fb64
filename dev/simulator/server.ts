import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isReadOnlyAction, MUTATING_ACTIONS, READ_ONLY_ACTIONS } from "../../src/hostwinds/actions.js";
import { Catalogue } from "./catalogue.js";
import { FaultPlan, type Fault } from "./faults.js";
import { ReadActions } from "./read-actions.js";
import { send, sendRaw } from "./send.js";

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
  readonly #reads: ReadActions;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #url = "";

  constructor(opts: SimulatorOptions = {}) {
    this.catalogue = opts.catalogue ?? new Catalogue();
    this.#keyHash = opts.apiKey ? sha(opts.apiKey) : undefined;
    this.latencyMs = opts.latencyMs ?? 0;
    this.#reads = new ReadActions(this.catalogue, { bareInstances: opts.bareInstances ?? false });
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
    // Latency is the network's: the answer is what the server knew when the request arrived, and
    // it reaches the client `latency` ms later (a test can change the catalogue meanwhile).
    if (latency > 0) delayEnd(res, latency);
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
    if (!isReadOnlyAction(action)) {
      send(res, 200, [{ result: "success", action, message: "Order placed (simulated; recorded)" }]);
      return;
    }
    this.#reads.answer(action, params, res);
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

/** Holds back the end of an answer by `ms` (headers and body leave together then). */
function delayEnd(res: ServerResponse, ms: number): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    setTimeout(() => end(...args), ms);
    return res;
  }) as ServerResponse["end"];
}
