import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpsServer } from "../src/ops/server.js";
import type { Runtime } from "../src/runtime.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { Harness } from "./support/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `SKIPPED served executive page browser test: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`,
  );

const SCREENSHOT = join("test-output", "executive-page-served.png");
const USER = "exec";
const PASSWORD = "correct-horse-battery";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const HOSTILE = `<img src=x onerror=alert(1)> Evil Corp`;

const h = new Harness();
let rt: Runtime;
let pageUrl: string;
let hostileId: string;
let globexId: string;
const auth = { headers: { authorization: basic(USER, PASSWORD) } };
/** Tenant names in the order the tenant table lists them. */
const tableNames = (html: string): string[] => {
  const table = /<table class="stack tenants">.*?<\/table>/.exec(html)?.[0] ?? "";
  return [...table.matchAll(/<span class="name" title="[^"]*">(.*?)<\/span>/g)].map((m) => m[1] ?? "");
};

beforeAll(async () => {
  await h.setup();
  const fx = executiveFixtures(h.db.url);
  const a = await fx.tenant(HOSTILE, 29_900, { payments: ["299.00"] });
  const g = await fx.tenant("Globex", 4900);
  [hostileId, globexId] = [a, g];
  await fx.vps("120.00", a, ["4.99"]);
  await fx.vps("45.50", g, ["4.99"]);
  await fx.vps("60.00", null, ["4.99"]);
  await fx.completedRun("24.98", 2);
  await fx.refresh();
  rt = await h.start({ ops: true }, h.config({ BULL_BOARD_USER: USER, BULL_BOARD_PASSWORD: PASSWORD }));
  pageUrl = `${rt.opsUrl!}/reports/executive`;
});
afterAll(() => h.teardown());

describe("GET /reports/executive on the ops port", () => {
  it("answers 401 and no figure without the bull-board credentials, the page with them", async () => {
    for (const authorization of [undefined, basic(USER, "nope"), basic("other", PASSWORD)]) {
      const denied = await fetch(pageUrl, authorization ? { headers: { authorization } } : {});
      expect(denied.status).toBe(401);
      expect(denied.headers.get("www-authenticate")).toMatch(/^Basic /);
      const body = await denied.text();
      expect(body).not.toMatch(/\d+\.\d\d|Globex|Fleet/);
    }
    const ok = await fetch(pageUrl, { headers: { authorization: basic(USER, PASSWORD) } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/html/);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await ok.text();
    expect(html).toContain("Fleet cost and margin");
    expect(html).toContain(">240.47<"); // the modelled cost: 225.50 VPS + 14.97 IPs (24.98 untracked beside it)
    expect(html).not.toContain("265.45"); // never the two added up
    expect(html).not.toContain("<img");
  });

  it("sorts the tenant table by ?sort=, worst margin by default, and refuses an unknown sort with 400", async () => {
    // Globex: 49.00 revenue against 50.49 cost (-3.04%); Evil Corp: 299.00 against 125.03 (58.18%).
    const byDefault = await (await fetch(pageUrl, auth)).text();
    expect(tableNames(byDefault)).toEqual(["Globex Inc.", "&lt;img src=x onerror=alert(1)&gt; Evil Corp Inc."]);
    const byCost = await (await fetch(`${pageUrl}?sort=cost`, auth)).text();
    expect(tableNames(byCost)).toEqual(["&lt;img src=x onerror=alert(1)&gt; Evil Corp Inc.", "Globex Inc."]);
    expect(byCost).toContain(`<a href="?sort=margin" title="Sort: worst margin first">Margin</a>`);
    expect(byCost).toContain(`<a href="?sort=cost" title="Sort: most costly first">Cost (USD) ▾</a>`);
    const bad = await fetch(`${pageUrl}?sort=cheapest`, auth);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("unknown sort: use one of margin, profit, cost, revenue, name\n");
  });

  it("serves each tenant's page behind the same credentials: names link to it, the uuid only in a title", async () => {
    const html = await (await fetch(pageUrl, auth)).text();
    expect(html).toContain(
      `<a href="executive/tenant/${globexId}"><span class="name" title="${globexId}">Globex Inc.</span></a>`,
    );
    // The uuid appears only inside attributes: never as text under a name.
    expect(html.replace(/<[^>]*>/g, "")).not.toContain(globexId);
    const url = `${pageUrl}/tenant/${globexId}`;
    expect((await fetch(url)).status).toBe(401);
    const ok = await fetch(url, auth);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await ok.text();
    expect(page).toContain(`<h1 title="${globexId}">Globex Inc.</h1>`);
    expect(page).toContain(`<a href="../../executive">← All tenants</a>`);
    expect(page).toContain(">50.49<"); // its cost: the 45.50 VPS and its 4.99 IP
    const upper = await fetch(`${pageUrl}/tenant/${hostileId.toUpperCase()}`, auth);
    expect(await upper.text()).toContain("Evil Corp Inc.");
    const unknown = await fetch(`${pageUrl}/tenant/00000000-0000-4000-8000-000000000000`, auth);
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${pageUrl}/tenant/Globex`, auth);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("uuid");
  });

  it("is not served at all while bull-board has no credentials", async () => {
    const ops = await startOpsServer({
      host: "127.0.0.1",
      port: 0,
      queues: [],
      registry: new Registry(),
      health: {},
      executivePages: {
        overview: () => Promise.resolve("<!doctype html><p>figures</p>"),
        tenant: () => Promise.resolve("<!doctype html><p>figures</p>"),
      },
    });
    try {
      const r = await fetch(`${ops.url}/reports/executive`, { headers: { authorization: basic(USER, PASSWORD) } });
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain("figures");
    } finally {
      await ops.close();
    }
  });
});

describe.skipIf(!hasChromium)("the served executive page in headless Chromium", () => {
  it("renders offline: no request but the page itself, no console or page error", async () => {
    const { chromium } = await import("playwright-core");
    const args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"];
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    try {
      // The credentials sent up front, as a browser does once it has them: one request, no challenge in between.
      const ctx = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        extraHTTPHeaders: { authorization: basic(USER, PASSWORD) },
      });
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      const requests: string[] = [];
      const errors: string[] = [];
      page.on("request", (req) => requests.push(req.url()));
      page.on("console", (msg) => {
        if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
      });
      page.on("pageerror", (err) => errors.push(`page: ${err.message}`));
      page.on("dialog", (d) => {
        errors.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });

      const res = await page.goto(pageUrl, { waitUntil: "load" });
      expect(res!.status()).toBe(200);
      const shown = (l: Locator): Promise<void> => l.waitFor({ state: "visible", timeout: 5_000 });
      for (const name of ["Hostwinds infrastructure cost", "Fleet cost and margin", "Tenant health"]) {
        await shown(page.getByRole("heading", { name, exact: true }));
      }
      await shown(page.getByRole("heading", { name: /^Top \d+ tenants by modelled cost$/ }));
      await shown(page.getByText("Attention:", { exact: false }));
      expect(await page.locator("td .name", { hasText: "Evil Corp" }).innerText()).toBe(`${HOSTILE} Inc.`);
      // A name opens the tenant's page, and its back link returns: relative links, one request each.
      await page.locator("td a", { hasText: "Globex" }).click();
      await shown(page.getByRole("heading", { name: "Globex Inc.", exact: true }));
      expect(page.url()).toBe(`${pageUrl}/tenant/${globexId}`);
      await page.getByRole("link", { name: "← All tenants" }).click();
      await shown(page.getByRole("heading", { name: "Hostwinds infrastructure cost", exact: true }));
      expect(page.url()).toBe(pageUrl);
      expect(await page.locator("img, script, iframe, link, object, embed").count()).toBe(0);
      const drawn = await page
        .locator("svg")
        .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().width > 0).length);
      expect(drawn).toBeGreaterThanOrEqual(3);

      mkdirSync("test-output", { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(requests).toEqual([pageUrl, `${pageUrl}/tenant/${globexId}`, pageUrl]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
