import { request, type Dispatcher } from "undici";
import { hostwindsError, type HostwindsError } from "./errors.js";
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
 * answer. Transport failures become typed errors: our overall deadline or an undici timeout code
 * is a timeout, anything else a connection failure.
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
    // Small answers (almost all) in one piece; a chunk reader only for lists.
    const parts = o.onChunk ? await readChunks(res.body, o.onChunk) : [await res.body.text()];
    return { status: res.statusCode, headers: res.headers, parts };
  } catch (err) {
    throw transportError(err, signal, o);
  }
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
 * The body as decoded text chunks, each also handed to `onChunk`. Unlike `body.text()`, which
 * gathers every Buffer and then copies them into one string, no Buffer outlives its decoding.
 */
async function readChunks(body: AsyncIterable<Uint8Array>, onChunk: (text: string) => void): Promise<string[]> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  const take = (text: string) => {
    parts.push(text);
    onChunk(text);
  };
  for await (const chunk of body) take(decoder.decode(chunk, { stream: true }));
  take(decoder.decode());
  return parts;
}
