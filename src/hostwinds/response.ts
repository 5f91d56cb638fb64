import type { z } from "zod";
import { hostwindsError, type HostwindsError, type HostwindsErrorDetails, type HostwindsErrorKind } from "./errors.js";
import type { RawAnswer } from "./transport.js";
import { parseRetryAfter } from "./retry.js";
import { resultArraySchema } from "./schemas.js";

/**
 * The one generator of Hostwinds errors from an HTTP status (openai-node's `APIError.generate`):
 * undefined for a 2xx, whose body still has to be read (a 200 is not success at Hostwinds).
 */
export function statusError(action: string, answer: RawAnswer, secret: string | undefined): HostwindsError | undefined {
  const { status } = answer;
  const error = (kind: HostwindsErrorKind, what: string, details: HostwindsErrorDetails = { status }) =>
    hostwindsError({ kind, action, what, secret, details });
  // Rate limited: the shared gate and the queue pause for Retry-After.
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers["retry-after"]);
    return error("rate_limited", "rate limited (HTTP 429)", { status, retryAfterMs });
  }
  // Their side: worth another try.
  if (status >= 500) return error("server", `server error (HTTP ${String(status)})`);
  // The key: about the whole account.
  if (status === 401 || status === 403) return error("auth", `not authorized (HTTP ${String(status)})`);
  // Anything else outside 2xx: the request itself was refused.
  if (status < 200 || status >= 300) return error("input", `rejected (HTTP ${String(status)})`);
  return undefined;
}

const AUTH_MESSAGE = /not authori[sz]ed|invalid api|api key/i;

/**
 * Reads a 2xx body: an error envelope is an error (auth when it says so, else an input error);
 * `{success: payload}` is data (some documented variants omit the wrapper); the payload must pass
 * its schema, else the answer is a permanent `invalid_response`.
 */
export function unwrap<S extends z.ZodType>(
  action: string,
  answer: RawAnswer,
  schema: S,
  secret: string | undefined,
): z.output<S> {
  const status = answer.status;
  const invalid = (what: string) =>
    hostwindsError({ kind: "invalid_response", action, what, secret, details: { status } });
  let body: unknown;
  try {
    body = JSON.parse(answer.parts.join(""));
  } catch {
    throw invalid("response is not JSON");
  }
  const envelopeError = errorEnvelope(body, action, status, secret);
  if (envelopeError) throw envelopeError;
  const payload =
    body !== null && typeof body === "object" && !Array.isArray(body) && "success" in body ? body.success : body;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw invalid(`response failed validation (${where})`);
  }
  return parsed.data;
}

/** The error of an array envelope `[{result: "error", message, ERROR?}]`, if `body` is one. */
function errorEnvelope(
  body: unknown,
  action: string,
  status: number,
  secret: string | undefined,
): HostwindsError | undefined {
  if (!Array.isArray(body)) return undefined;
  const arr = resultArraySchema.safeParse(body);
  const error = arr.success ? arr.data.find((r) => r.result === "error") : undefined;
  if (!error) return undefined;
  const msg = error.message ?? "error";
  const code = error.ERROR === undefined ? undefined : errorCode(error.ERROR);
  return hostwindsError({
    kind: AUTH_MESSAGE.test(msg) ? "auth" : "input",
    action,
    what: `error: ${msg}`,
    secret,
    details: { status, hostwindsMessage: msg, code },
  });
}

/**
 * Hostwinds' `ERROR` field as text: the codes seen are strings ("SERVICE_NOT_FOUND"); a number
 * or boolean prints as itself, anything else as JSON rather than "[object Object]".
 */
function errorCode(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}
