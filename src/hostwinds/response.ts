import type { z } from "zod";
import { hostwindsError, type HostwindsError } from "./errors.js";
import type { RawAnswer } from "./transport.js";
import { parseRetryAfter } from "./retry.js";
import { resultArraySchema } from "./schemas.js";

/**
 * The one generator of Hostwinds errors from an HTTP status (openai-node's `APIError.generate`):
 * undefined for a 2xx, whose body still has to be read (a 200 is not success at Hostwinds).
 */
export function statusError(action: string, answer: RawAnswer, secret: string | undefined): HostwindsError | undefined {
  const { status } = answer;
  // Rate limited: the shared gate and the queue pause for Retry-After.
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers["retry-after"]);
    return hostwindsError("rate_limited", action, "rate limited (HTTP 429)", secret, { status, retryAfterMs });
  }
  // Their side: worth another try.
  if (status >= 500)
    return hostwindsError("server", action, `server error (HTTP ${String(status)})`, secret, { status });
  // The key: about the whole account.
  if (status === 401 || status === 403)
    return hostwindsError("auth", action, `not authorized (HTTP ${String(status)})`, secret, { status });
  // Anything else outside 2xx: the request itself was refused.
  if (status < 200 || status >= 300)
    return hostwindsError("input", action, `rejected (HTTP ${String(status)})`, secret, { status });
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
  let body: unknown;
  try {
    body = JSON.parse(answer.parts.join(""));
  } catch {
    throw hostwindsError("invalid_response", action, "response is not JSON", secret, { status });
  }
  if (Array.isArray(body)) {
    const arr = resultArraySchema.safeParse(body);
    const error = arr.success ? arr.data.find((r) => r.result === "error") : undefined;
    if (error) {
      const msg = error.message ?? "error";
      const code = error.ERROR === undefined ? undefined : String(error.ERROR);
      throw hostwindsError(AUTH_MESSAGE.test(msg) ? "auth" : "input", action, `error: ${msg}`, secret, {
        status,
        hostwindsMessage: msg,
        code,
      });
    }
  }
  const payload =
    body !== null && typeof body === "object" && !Array.isArray(body) && "success" in body ? body.success : body;
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw hostwindsError("invalid_response", action, `response failed validation (${where})`, secret, { status });
  }
  return parsed.data;
}
