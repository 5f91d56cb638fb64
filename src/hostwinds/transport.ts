import { request, type Dispatcher } from "undici";
import { formatBytes } from "./actions.js";
import { hostwindsError, HostwindsError } from "./errors.js";
import type { RateGate } from "./rate-gate.js";

/** What one HTTP exchange with Hostwinds produced, before any interpretation of the body. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as decoded text chunks (a list reader has already seen each one). */
  parts: string[];
}

export interface SendOptions {
  url: string;
  dispatcher: Dispatcher;
  action: string;
  /** The form fields, key included; sent form-encoded (the only encoding Hostwinds accepts). */
  form: URLSearchParams;
  timeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** The largest body accepted, in bytes (see MAX_ANSWER_BYTES); beyond it the request is aborted. */
  maxBytes: number;
  gate?: RateGate;
  /** Fed every decoded chunk as it arrives (the reader of large lists, see json-list.ts). */
  onChunk?: (text: string) => void;
  /** For error messages only: scrubbed from everything an error keeps. */
  secret: string | undefined;
}

/** undici's own timeout codes (its errors carry `code`; names and messages are not an interface). */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Sends one form-encoded POST, after waiting for the shared request budget, and reads the whole
 * answer, up to `maxBytes`. Transport failures become typed errors: our overall deadline or an
 * undici timeout code is a timeout, anything else a connection failure; an answer beyond the size
 * limit is a permanent `invalid_response`.
 */
export async function send(o: SendOptions): Promise<RawAnswer> {
  await o.gate?.acquire();
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const res = await request(o.url, {
      method: "POST",
      body: o.form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      dispatcher: o.dispatcher,
      signal,
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
    });
    // Refused before a byte of the body is read when the server says how large it is.
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      res.body.destroy();
      throw tooLarge(o, res.statusCode, `content-length ${String(declared)}`);
    }
    const parts = await readBody(res.body, o, res.statusCode);
    return { status: res.statusCode, headers: res.headers, parts };
  } catch (err) {
    if (err instanceof HostwindsError) throw err;
    throw transportError(err, signal, o);
  }
}

function tooLarge(o: SendOptions, status: number, seen: string): HostwindsError {
  return hostwindsError({
    kind: "invalid_response",
    action: o.action,
    what: `${o.action} answer exceeds ${formatBytes(o.maxBytes)} (${seen}); the request was aborted`,
    secret: o.secret,
    details: { status },
  });
}

function transportError(err: unknown, signal: AbortSignal, o: SendOptions): HostwindsError {
  const code =
    typeof err === "object" && err !== null && "code" in err && typeof err.code === "string" ? err.code : undefined;
  if (signal.aborted || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return hostwindsError({
      kind: "timeout",
      action: o.action,
      what: "request timed out",
      secret: o.secret,
      cause: err,
    });
  }
  const what = `connection failed (${code ?? "no code"})`;
  return hostwindsError({ kind: "connection", action: o.action, what, secret: o.secret, cause: err });
}

/**
 * The body as decoded text chunks, each also handed to `onChunk`, its bytes counted as they come:
 * past `maxBytes` the body is destroyed (which aborts the request) and the call fails. Unlike
 * `body.text()`, which gathers every Buffer and then copies them into one string, no Buffer
 * outlives its decoding.
 */
async function readBody(body: Dispatcher.ResponseData["body"], o: SendOptions, status: number): Promise<string[]> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const take = (text: string) => {
    if (text === "") return;
    parts.push(text);
    o.onChunk?.(text);
  };
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > o.maxBytes) {
      body.destroy();
      throw tooLarge(o, status, `${String(bytes)} bytes read so far`);
    }
    take(decoder.decode(chunk, { stream: true }));
  }
  take(decoder.decode());
  return parts;
}
