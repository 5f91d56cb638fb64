import type { Logger } from "../logger.js";

/** Product analytics for cost anomalies and reconciliations. Never blocks or fails a job. */
export interface Analytics {
  capture(event: string, properties: Record<string, unknown>): void;
  close(): Promise<void>;
}

export const noAnalytics: Analytics = { capture() {}, async close() {} };

/** PostHog when POSTHOG_API_KEY is set; loaded lazily so the dependency costs nothing otherwise. */
export async function createAnalytics(
  apiKey: string | undefined,
  host: string | undefined,
  log: Logger,
): Promise<Analytics> {
  if (!apiKey) return noAnalytics;
  const { PostHog } = await import("posthog-node");
  const client = new PostHog(apiKey, { host, flushAt: 20, flushInterval: 10_000 });
  client.on("error", (err) => log.warn({ err }, "posthog error"));
  return {
    capture(event, properties) {
      try {
        client.capture({ distinctId: "cost-sync", event, properties });
      } catch (err) {
        log.warn({ err, event }, "posthog capture failed");
      }
    },
    async close() {
      await client.shutdown(2000).catch((err: unknown) => log.warn({ err }, "posthog shutdown failed"));
    },
  };
}
