import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_SCHEDULER_ID, JOB_NAMES } from "../src/jobs/definitions.js";
import { DIGEST_CRON } from "../src/jobs/job-options.js";
import type { Runtime } from "../src/runtime.js";
import { Harness, insertVps } from "./support/harness.js";

/**
 * The weekly digest job against a local webhook receiver on 127.0.0.1 (a random port): the worker
 * schedules it when DIGEST_WEBHOOK_URL is set, posts Slack-compatible `{"text": ...}` JSON, and
 * records the digest as taken only when the receiver accepted it (a refused post is retried and
 * the next digest still covers the same period).
 */
const h = new Harness();
let server: Server;
let url = "";
const received: { path: string; type: string | undefined; body: string }[] = [];
let answer = 200;
let rt: Runtime;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", type: req.headers["content-type"], body });
      res.writeHead(answer).end(answer === 200 ? "ok" : "no");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hooks/T0/B0/secret`;
  await h.setup({ DIGEST_WEBHOOK_URL: url });
  rt = await h.start();
}, 60_000);
afterAll(async () => {
  await h.teardown();
  await new Promise((r) => server.close(r));
});

/** Exactly one digest taken (posted and recorded), as the test that posts one leaves it. */
async function oneDigestTaken(): Promise<void> {
  await h.sql(`DELETE FROM cost_digests`);
  const job = await rt.queue.add(JOB_NAMES.digest, { trigger: "manual" });
  expect((await h.finished<{ outcome: string }>(job)).outcome).toBe("posted");
}

describe("the weekly digest job", () => {
  it("is scheduled weekly while DIGEST_WEBHOOK_URL is set", async () => {
    const s = (await rt.queue.getJobSchedulers()).find((x) => x.key === DIGEST_SCHEDULER_ID);
    expect(s).toMatchObject({ name: JOB_NAMES.digest, pattern: DIGEST_CRON, tz: "UTC" });
  });

  it("posts the digest as {text} to the receiver and records it as taken", async () => {
    const { vpsId } = await insertVps(h, { serviceid: null });
    await h.sql(
      `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
       VALUES ('vps', $1, NULL, 12.34, 'test', 'digest', 'j-1', now() - interval '1 day')`,
      [vpsId],
    );
    await h.sql(
      `INSERT INTO cost_anomalies (resource_kind, resource_id, old_value, new_value, change_usd, change_pct, detected_at)
       VALUES ('vps', $1, NULL, 12.34, 12.34, NULL, now() - interval '1 hour')`,
      [vpsId],
    );
    const job = await rt.queue.add(JOB_NAMES.digest, { trigger: "manual" });
    const result = await h.finished<{ outcome: string }>(job);
    expect(result.outcome).toBe("posted");
    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post?.path).toBe("/hooks/T0/B0/secret");
    expect(post?.type).toBe("application/json");
    const body = JSON.parse(post?.body ?? "") as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["text"]);
    const text = String(body.text);
    expect(text).toMatch(/^\*cost-sync digest: \d{4}-\d\d-\d\d \d\d:\d\d UTC to /);
    expect(text).toContain("• Fleet modelled cost: 12.34 USD/month (+12.34 since 0.00)");
    expect(text).toContain("*New anomalies (1)*\n• #");
    expect(text).toContain(`vps ${vpsId}: none -> 12.34 (+12.34) [open]`);
    expect(text).toContain("*Top savings*\n• not available");
    expect(text).toContain("*Untracked spend*\n• not known");
    expect(text).toContain("*Invoice accuracy (latest month)*\n• no invoice imported yet");
    const rows = await h.sql<{ trigger: string; cost: string; days: number }>(
      `SELECT trigger, fleet_cost::text AS cost, round(extract(epoch FROM taken_at - period_start) / 86400)::int AS days
         FROM cost_digests`,
    );
    expect(rows).toEqual([{ trigger: "manual", cost: "12.34", days: 7 }]);
  });

  it("a refused post fails the job, records nothing, and never names the webhook URL", async () => {
    await oneDigestTaken();
    answer = 500;
    const job = await rt.queue.add(JOB_NAMES.digest, { trigger: "manual" }, { attempts: 1 });
    const err = await h.finished(job).then(
      () => null,
      (e: unknown) => String(e),
    );
    expect(err).toContain("digest webhook answered HTTP 500");
    expect(err).not.toContain("secret");
    expect(await h.sql(`SELECT 1 FROM cost_digests`)).toHaveLength(1);
    expect(h.logs.lines.join("")).not.toContain("/hooks/T0/B0/secret");
    answer = 200;
  });
});
