/** Bounded retry policy for transient Hostwinds failures. All values injectable; nothing global. */
export interface RetryPolicy {
  /** Retries after the first attempt (PenguinMails' convention: 3). */
  maxRetries: number;
  /** First backoff; doubles each retry (1 s -> 30 s by convention). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it. */
  retryAfterCapMs: number;
}

const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  retryAfterCapMs: 60_000,
};

/** The client's default: one attempt per call (the job layer retries; see HostwindsClientOptions.retry). */
export const NO_RETRIES: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxRetries: 0 };

/**
 * Exponential backoff with equal jitter (half the ceiling, plus a random part of the other half:
 * never sooner than half the backoff, so retries stay spread out without ever coming at once), or
 * the server's Retry-After (capped) when it gave one.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.retryAfterCapMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
