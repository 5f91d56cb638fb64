import type { z } from "zod";
import { hostwindsError, type HostwindsError, type HostwindsErrorDetails, type HostwindsErrorKind } from "./errors.js";
import { authWhat, errorObjectError, findErrorObject } from "./envelope.js";
import { describeIssues } from "./issues.js";
import type { RawAnswer } from "./transport.js";
import { parseRetryAfter } from "./retry.js";

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
  // The key: about the whole account. Hostwinds' own words, when the body has them, go in the message.
  if (status === 401 || status === 403) {
    const said = errorMessageIn(answer);
    return error("auth", authWhat(said, status), { status, hostwindsMessage: said });
  }
  // Anything else outside 2xx: the request itself was refused.
  if (status < 200 || status >= 300) return error("input", `rejected (HTTP ${String(status)})`);
  return undefined;
}

/** The message of an error object in a body, if the body is JSON and carries one. */
function errorMessageIn(answer: RawAnswer): string | undefined {
  try {
    const message = findErrorObject(JSON.parse(answer.parts.join("")))?.message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a 2xx body: an error object anywhere it can be (see envelope.ts) is an error (auth when it
 * is about the key, else an input error); `{success: payload}` is data (some documented variants
 * omit the wrapper); the payload must pass its schema, else the answer is a permanent
 * `invalid_response`.
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
  const error = findErrorObject(body);
  if (error) throw errorObjectError(error, { action, status, secret });
  const payload =
    body !== null && typeof body === "object" && !Array.isArray(body) && "success" in body ? body.success : body;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw invalid(`response failed validation (${describeIssues(payload, parsed.error.issues)})`);
  return parsed.data;
}
