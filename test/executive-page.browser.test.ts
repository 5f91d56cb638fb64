import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderExecutivePage } from "../src/reports/executive-page.js";
import { renderTenantPage } from "../src/reports/tenant-page.js";
import { HOSTILE_NAME, sampleData, sampleDataWithExtras } from "./support/executive-sample.js";
import { sampleTenantPage } from "./support/executive-tenant-sample.js";
import { measure } from "./support/page-geometry.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `SKIPPED executive page browser test: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`,
  );

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const PHONE = 390;
const DESKTOP = 1280;

let browser: Browser;
let dir: string;

/** Writes `html` to a file and opens it at `width`, collecting requests and errors. */
async function open(html: string, width: number, name: string) {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.setDefaultTimeout(10_000); // a missing element fails the test here, not at the 30 s test timeout
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (req) => requests.push(req.url()));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page: ${err.message}`));
  page.on("dialog", (d) => {
    errors.push(`dialog: ${d.message()}`); // an alert() from the hostile name would mean it ran
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, errors };
}

const shot = async (p: Awaited<ReturnType<typeof open>>["page"], name: string) => {
  mkdirSync("test-output", { recursive: true });
  await p.screenshot({ path: join("test-output", `${name}.png`), fullPage: true });
};

beforeAll(async () => {
  if (!hasChromium) return;
  dir = mkdtempSync(join(tmpdir(), "exec-page-"));
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});
afterAll(async () => {
  if (!hasChromium) return;
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)("executive page in headless Chromium", () => {
  it("renders its sections offline: no request but the file itself, no console or page error", async () => {
    const { page, url, requests, errors } = await open(renderExecutivePage(sampleData()), DESKTOP, "plain");
    const shown = (l: Locator): Promise<void> => l.waitFor({ state: "visible", timeout: 5_000 });
    for (const name of [
      "Hostwinds infrastructure cost",
      "Tenant health",
      "Tenants, worst margin first",
      "Fleet cost and margin",
      "Top 10 tenants by modelled cost",
      "Monthly trend (closed months)",
    ]) {
      await shown(page.getByRole("heading", { name, exact: true }));
    }
    await shown(page.getByText("Internal cost modelling — not billing; never shown to tenants", { exact: true }));
    // The hostile name is visible as text (control characters stripped), and no element came of it.
    const asText = HOSTILE_NAME.replace("\u001b[31m", "");
    expect(await page.locator("td .name", { hasText: "<script>alert(1)</script>" }).innerText()).toBe(asText);
    expect(await page.locator("img, script, iframe, link, object, embed").count()).toBe(0);
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
  });

  for (const width of [DESKTOP, PHONE]) {
    it(`at ${width} px: nothing scrolls sideways, tables included, and no text is under 9 px`, async () => {
      const { page, errors } = await open(renderExecutivePage(sampleDataWithExtras()), width, `extras-${width}`);
      await shot(page, `executive-page-${width}`);
      const g = await measure(page);
      expect(g.scrollWidth).toBeLessThanOrEqual(g.viewport);
      expect(g.overflowing).toEqual([]);
      expect(g.minFontPx, `smallest text: ${g.smallest}`).toBeGreaterThanOrEqual(9);
      // Each chart is drawn once at the size that fits; the others are not displayed.
      const drawn = await page
        .locator("svg")
        .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().width > 0).length);
      expect(drawn).toBe(4); // the health bar, the two cost bars, and one of the three trend drawings
      expect(await page.locator(".chart-n svg, .chart-m svg, .chart-w svg").filter({ visible: true }).count()).toBe(1);
      expect(errors).toEqual([]);
    });
  }

  it("at 390 px the tenant table stacks each row and leaves out its detail columns", async () => {
    const { page } = await open(renderExecutivePage(sampleDataWithExtras()), PHONE, "stack");
    const table = page.locator("table.tenants");
    expect(await table.locator("thead").isVisible()).toBe(false);
    const first = table.locator("tbody tr").first();
    expect(await first.locator("td").first().innerText()).toBe("Blue Fjord Media");
    expect(await first.locator(`td[data-label="Profit (USD)"]`).isVisible()).toBe(false);
    const label = await first
      .locator(`td[data-label="Cost (USD)"]`)
      .evaluate((td) => getComputedStyle(td, "::before").content);
    expect(label).toBe(`"Cost (USD)"`);
  });

  it("shows savings available with the top opportunities, stacked at 390 px", async () => {
    const { page } = await open(renderExecutivePage(sampleDataWithExtras()), PHONE, "savings");
    const card = page.locator("section.card", { has: page.getByRole("heading", { name: "Savings available" }) });
    expect(await card.locator("p.sub").innerText()).toBe(
      "312.40 USD / month in 4 open opportunities: 3.61% of the fleet's modelled cost.",
    );
    const first = card.locator("tbody tr").first();
    expect(await first.locator("td").first().innerText()).toBe("VPS 5020");
    expect(await first.locator(`td[data-label="Tenant"] .name`).innerText()).toBe("Beacon <Mail>");
    expect(await card.locator("thead").isVisible()).toBe(false);
  });

  it("the tenant page is readable at 390 px too", async () => {
    const { page, errors } = await open(renderTenantPage(sampleTenantPage()), PHONE, "tenant");
    await shot(page, "executive-tenant-page-390");
    const g = await measure(page);
    expect(g.scrollWidth).toBeLessThanOrEqual(g.viewport);
    expect(g.overflowing).toEqual([]);
    expect(g.minFontPx, `smallest text: ${g.smallest}`).toBeGreaterThanOrEqual(9);
    expect(errors).toEqual([]);
  });
});
