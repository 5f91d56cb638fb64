import type { SqlRunner } from "../../db/client.js";
import { recordDigest } from "../../db/writes/digests.js";
import { buildDigest, type Digest } from "./digest.js";
import { digestMarkdown } from "./digest-text.js";

/** How long the webhook may take to answer before the post fails (the job is retried). */
const POST_TIMEOUT_MS = 15_000;

/**
 * Builds the digest since the last one, posts it to the webhook as Slack-compatible
 * `{"text": markdown}` JSON and records it as taken only once the webhook accepted it, so a
 * failed post is covered by the next attempt. The URL is never put in an error (it holds a token).
 */
export async function postDigest(
  db: SqlRunner,
  o: { webhookUrl: string; trigger: "schedule" | "manual"; now?: Date },
): Promise<Digest> {
  const digest = await buildDigest(db, { now: o.now });
  const res = await fetch(o.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: digestMarkdown(digest) }),
    signal: AbortSignal.timeout(POST_TIMEOUT_MS),
  }).catch((e: unknown) => {
    throw new Error(`digest webhook: ${e instanceof Error ? e.name : "request"} failed`);
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`digest webhook answered HTTP ${String(res.status)}`);
  await recordDigest(db, {
    takenAt: digest.periodEnd,
    periodStart: digest.periodStart,
    trigger: o.trigger,
    fleetCost: digest.cost.costNow,
  });
  return digest;
}
