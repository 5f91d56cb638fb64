/**
 * Typed Hostwinds errors, all made by `hostwindsError` so that the decision
 * "retry or give up" lives in one place (`transient`). Messages carry the
 * action and Hostwinds' own message, and are scrubbed of the API key.
 */
export type HostwindsErrorKind =
  "timeout" | "connection" | "rate_limited" | "server" | "input" | "auth" | "invalid_response" | "forbidden_action";

const TRANSIENT: ReadonlySet<HostwindsErrorKind> = new Set(["timeout", "connection", "rate_limited", "server"]);

export class HostwindsError extends Error {
  override name = "HostwindsError";
  constructor(
    readonly kind: HostwindsErrorKind,
    readonly action: string,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; code?: string; hostwindsMessage?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Timeouts, connection errors, 429 and 5xx: worth retrying. Everything else is permanent. */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

/** Replaces every occurrence of `secret` (and its URL-encoded form) in `text`. */
export function scrub(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join("[redacted]").split(encodeURIComponent(secret)).join("[redacted]");
}

/** The one factory: builds the message, scrubs the key from it and from the cause. */
export function hostwindsError(
  kind: HostwindsErrorKind,
  action: string,
  what: string,
  secret: string | undefined,
  details: HostwindsError["details"] = {},
  cause?: unknown,
): HostwindsError {
  const message = scrub(`Hostwinds ${action}: ${what}`, secret);
  const safeCause = cause instanceof Error ? new Error(scrub(`${cause.name}: ${cause.message}`, secret)) : undefined;
  const hostwindsMessage = details.hostwindsMessage ? scrub(details.hostwindsMessage, secret) : undefined;
  return new HostwindsError(
    kind,
    action,
    message,
    { ...details, hostwindsMessage },
    safeCause ? { cause: safeCause } : undefined,
  );
}
