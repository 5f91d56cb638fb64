import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createAnalytics } from "../src/ops/analytics.js";
import { captureLogs } from "./support/log-capture.js";
import { costOf, Harness, insertVps } from "./support/harness.js";

// posthog-node talks through global fetch: nock intercepts it (undici's own client, used for Hostwinds, is not affected).
const HOST = "https://posthog.test";

type Sent = { path: string; body: string };
function recordPosts(status = 200): Sent[] {
  const sent: Sent[] = [];
  nock(HOST)
    .persist()
    .post(() => true)
    .reply(status, function (uri, body) {
      sent.push({ path: uri, body: typeof body === "string" ? body : JSON.stringify(body) });
      return { status: 1 };
    });
  return sent;
}

afterEach(() => nock.cleanAll());

describe("PostHog analytics", () => {
  it("sends captured events when it flushes", async () => {
    const sent = recordPosts();
    const a = await createAnalytics("phc_test_key", HOST, captureLogs().logger);
    a.capture("cost_reconciliation_completed", { vpsChanged: 3 });
    await a.close();
    expect(sent.map((s) => s.body).join("\n")).toContain("cost_reconciliation_completed");
  });

  it("never throws or blocks when PostHog fails", async () => {
    recordPosts(500);
    const { logger } = captureLogs();
    const a = await createAnalytics("phc_test_key", HOST, logger);
    expect(() => a.capture("cost_anomalies_found", { count: 1 })).not.toThrow();
    await expect(a.close()).resolves.toBeUndefined();
  });

  it("is off without POSTHOG_API_KEY", async () => {
    const sent = recordPosts();
    const a = await createAnalytics(undefined, HOST, captureLogs().logger);
    a.capture("cost_reconciliation_completed", {});
    await a.close();
    expect(sent).toEqual([]);
  });
});

describe("the worker's PostHog events", () => {
  const h = new Harness();
  beforeAll(() => h.setup());
  afterAll(() => h.teardown());

  it("reports a completed reconciliation and its anomalies, with no tenant data", async () => {
    const sent = recordPosts();
    const rt = await h.start({}, h.config({ POSTHOG_API_KEY: "phc_test_key", POSTHOG_HOST: HOST }));
    h.sim.catalogue.setInstance({ serviceid: 4242, rid: "12", billingcycle: "monthly" });
    const { vpsId } = await insertVps(h, { serviceid: 4242 });
    await vi.waitFor(async () => expect((await costOf(h, "vps_instances", vpsId)).cost).toBe("39.99"), {
      timeout: 10_000,
    });
    // Hostwinds raises the plan from 39.99 to 99.99: beyond both anomaly thresholds.
    const p = h.sim.catalogue.plans.get("12")!;
    h.sim.catalogue.setPlan({ ...p, prices: { ...p.prices, monthly: "99.99" } });
    await h.finished(await rt.producer.enqueueReconciliation({ trigger: "manual" }), 60_000);
    await rt.close();
    const bodies = sent.map((s) => s.body).join("\n");
    expect(bodies).toContain("cost_reconciliation_completed");
    expect(bodies).toContain("cost_anomalies_found");
    expect(bodies).not.toMatch(/tenant_id|tenantId/);
  });
});
