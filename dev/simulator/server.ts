import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isReadOnlyAction, MUTATING_ACTIONS, READ_ONLY_ACTIONS } from "../../src/hostwinds/actions.js";
import { Catalogue } from "./catalogue.js";
import { answerFault } from "./fault-answers.js";
import { FaultPlan, type Fault } from "./faults.js";
import { ReadActions } from "./read-actions.js";
import type { Replay } from "./replay.js";
import { LIVE_NOT_AUTHORIZED, send } from "./send.js";

export interface RecordedRequest {
  action: string;
  /** Every parameter except the key. */
  params: Record<string, string>;
  keyPresent: boolean;
  keyValid: boolean;
  /** The request's content-type, as sent. */
  contentType: string;
}

export interface SimulatorOptions {
  catalogue?: Catalogue;
  /** The key the simulator accepts; compared by hash, never stored in clear or recorded. */
  apiKey?: string;
  /** Latency added to every answer. */
  latencyMs?: number;
  /** Serve get_instances without the `{success}` wrapper (a documented variant). */
  bareInstances?: boolean;
  /** Serve recorded answers instead of the catalogue's (`cost-sync simulator --replay DIR`). */
  replay?: Replay;
}

const KNOWN_ACTIONS = new Set<string>([...READ_ONLY_ACTIONS, ...MUTATING_ACTIONS]);
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * A loopback HTTP server that speaks the documented Hostwinds Cloud API:
 * read actions answered from a catalogue (or from a recording of the live API),
 * mutating actions accepted and recorded (so tests can prove none was sent),
 * faults injectable. Where people saw the live API differ from its documentation,
 * it answers as the live API did: a refused key and a JSON body get the bare
 * `{"result":"error","action":"Authorization","message":"Not Authorized!"}`.
 */
export class HostwindsSimulator {
  readonly catalogue: Catalogue;
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  latencyMs: number;
  readonly #keyHash: string | undefined;
  readonly #reads: ReadActions;
  readonly #replay: Replay | undefined;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #url = "";

  constructor(opts: SimulatorOptions = {}) {
    this.catalogue = opts.catalogue ?? new Catalogue();
    this.#keyHash = opts.apiKey ? sha(opts.apiKey) : undefined;
    this.latencyMs = opts.latencyMs ?? 0;
    this.#reads = new ReadActions(this.catalogue, { bareInstances: opts.bareInstances ?? false });
    this.#replay = opts.replay;
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
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const contentType = req.headers["content-type"] ?? "";
    // As seen live: a JSON body is refused as an authorization failure; only form encoding works.
    if (/application\/json/i.test(contentType)) {
      this.requests.push({ action: "(json body)", params: {}, keyPresent: false, keyValid: false, contentType });
      send(res, 200, LIVE_NOT_AUTHORIZED);
      return;
    }
    const form = new URLSearchParams(rawBody);
    const action = form.get("action") ?? "";
    const key = form.get("API");
    form.delete("API");
    const params = Object.fromEntries(form);
    delete params.action;
    const keyValid = key !== null && (this.#keyHash === undefined || sha(key) === this.#keyHash);
    this.requests.push({ action, params, keyPresent: key !== null, keyValid, contentType });

    const fault = this.faults.take(action, params.serviceid);
    const latency = this.latencyMs + (fault?.type === "latency" ? fault.ms : 0);
    // Latency is the network's: the answer is what the server knew when the request arrived, and
    // it reaches the client `latency` ms later (a test can change the catalogue meanwhile).
    if (latency > 0) delayEnd(res, latency);
    if (fault && fault.type !== "latency") {
      await answerFault(fault, { action, rawBody, key }, res);
      return;
    }
    this.#answer({ action, params, keyValid }, res);
  }

  /** The answer of a request no fault caught: the live refusal for a bad key, else the catalogue's or the recording's. */
  #answer(r: { action: string; params: Record<string, string>; keyValid: boolean }, res: ServerResponse): void {
    const { action } = r;
    if (!r.keyValid) {
      send(res, 200, LIVE_NOT_AUTHORIZED);
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
    if (this.#replay) this.#replay.answer(action, r.params.serviceid, res);
    else this.#reads.answer(action, r.params, res);
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
