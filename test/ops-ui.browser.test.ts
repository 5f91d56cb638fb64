import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { Harness } from "./support/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`SKIPPED ops UI browser test: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`);

const h = new Harness();
let rt: Runtime;
const USER = "ops";
const PASSWORD = "correct-horse-battery";

describe.skipIf(!hasChromium)("ops UI in headless Chromium", () => {
  beforeAll(async () => {
    await h.setup();
    rt = await h.start({ ops: true }, h.config({ BULL_BOARD_USER: USER, BULL_BOARD_PASSWORD: PASSWORD }));
  });
  afterAll(() => h.teardown());

  it("asks for credentials, then shows the queue; /healthz and /metrics answer", async () => {
    const { chromium } = await import("playwright-core");
    const args = [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ];
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    try {
      // Chromium turns a 401 into an auth prompt, which headless cannot show: ask through the context's request API.
      const anonymous = await browser.newContext();
      const denied = await anonymous.request.get(`${rt.opsUrl}/admin/queues`);
      expect(denied.status()).toBe(401);
      expect(denied.headers()["www-authenticate"]).toMatch(/Basic/);
      const wrong = await anonymous.request.get(`${rt.opsUrl}/admin/queues`, {
        headers: { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString("base64")}` },
      });
      expect(wrong.status()).toBe(401);

      const ctx = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD } });
      const page = await ctx.newPage();
      const ok = await page.goto(`${rt.opsUrl}/admin/queues`);
      expect(ok!.status()).toBe(200);
      await page.getByText("cost-sync", { exact: false }).first().waitFor({ timeout: 15_000 });
      expect(await page.content()).toContain("cost-sync");

      const health = await page.goto(`${rt.opsUrl}/healthz`);
      expect(health!.status()).toBe(200);
      expect(JSON.parse(await page.innerText("body"))).toMatchObject({
        status: "ok",
        checks: { redis: "ok", postgres: "ok" },
      });
      const metrics = await page.goto(`${rt.opsUrl}/metrics`);
      expect(metrics!.status()).toBe(200);
      const text = await page.innerText("body");
      expect(text).toContain("cost_sync_jobs_total");
      expect(text).toContain("cost_sync_hostwinds_requests_total");
      // Fleet-level only: counts of tenants are fine (the business gauges), a tenant or VPS named is not.
      expect(text).not.toMatch(/tenant(_id)?="|tenantId|vps_id|vpsId|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    } finally {
      await browser.close();
    }
  });
});
