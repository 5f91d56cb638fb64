import { scrub } from "./secret-forms.js";

/**
 * Typed Hostwinds errors, all made by `hostwindsError` so that the decision
 * "retry or give up" lives in one place (`transient`). Messages carry the
 * action and Hostwinds' own message, and are scrubbed of the API key.
 */
export type HostwindsErrorKind =
  | "timeout"
  | "connection"
  | "rate_limited"
  | "server"
  | "input"
  | "auth"
  | "invalid_response"
  | "forbidden_action"
  | "unknown_action";

/**
 * What each kind of Hostwinds error calls for: the one table that the job layer's `classify`
 * (src/jobs/failure-policy.ts) and the client's own retry (`transient`) both read.
 * - `retry`: their side or the network; another attempt later;
 * - `pause`: over the request budget; pause, then resume where we were;
 * - `unpriced`: an answer about this one resource (unknown serviceid, a shape we cannot read);
 * - `fail`: the key or our own code; nothing a retry can fix.
 */
export const HOSTWINDS_ACTION = {
  timeout: "retry",
  connection: "retry",
  server: "retry",
  rate_limited: "pause",
  input: "unpriced",
  invalid_response: "unpriced",
  auth: "fail",
  forbidden_action: "fail",
  // An API that no longer knows the action: nothing a retry can fix.
  unknown_action: "fail",
} as const satisfies Record<HostwindsErrorKind, "retry" | "pause" | "unpriced" | "fail">;

/** What a `HostwindsError` knows beyond its message: the HTTP status, Retry-After, Hostwinds' code and message. */
export interface HostwindsErrorDetails {
  status?: number;
  retryAfterMs?: number;
  code?: string;
  hostwindsMessage?: string;
}

export interface HostwindsErrorInit {
  kind: HostwindsErrorKind;
  action: string;
  message: string;
  details?: HostwindsErrorDetails;
  cause?: unknown;
}

export class HostwindsError extends Error {
  override name = "HostwindsError";
  readonly kind: HostwindsErrorKind;
  readonly action: string;
  readonly details: HostwindsErrorDetails;

  constructor(init: HostwindsErrorInit) {
    // No `cause` key at all when there is none (not `cause: undefined`).
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.action = init.action;
    this.details = init.details ?? {};
  }

  /** Timeouts, connection errors, 429 and 5xx: worth retrying. Everything else is permanent. */
  get transient(): boolean {
    const action = HOSTWINDS_ACTION[this.kind];
    return action === "retry" || action === "pause";
  }
}

export { scrub, secretForms } from "./secret-forms.js";

export interface HostwindsErrorSpec {
  kind: HostwindsErrorKind;
  action: string;
  /** What went wrong, after "Hostwinds <action>: ". */
  what: string;
  /** The API key, scrubbed from the message, Hostwinds' message and the cause. */
  secret: string | undefined;
  details?: HostwindsErrorDetails;
  cause?: unknown;
}

/** The one factory: builds the message, scrubs the key from it and from the cause. */
export function hostwindsError(spec: HostwindsErrorSpec): HostwindsError {
  const { kind, action, what, secret, details = {}, cause } = spec;
  const message = scrub(`Hostwinds ${action}: ${what}`, secret);
  const safeCause = cause instanceof Error ? new Error(scrub(`${cause.name}: ${cause.message}`, secret)) : undefined;
  const hostwindsMessage = details.hostwindsMessage ? scrub(details.hostwindsMessage, secret) : undefined;
  return new HostwindsError({ kind, action, message, details: { ...details, hostwindsMessage }, cause: safeCause });
}
