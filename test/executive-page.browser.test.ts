import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderExecutivePage } from "../src/reports/executive-page.js";
import { HOSTILE_NAME, sampleData } from "./support/executive-sample.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `SKIPPED executive page browser test: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)`,
  );

const SCREENSHOT = join("test-output", "executive-page.png");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!hasChromium)("executive page in headless Chromium", () => {
  it("renders its sections and charts offline: no request but the file itself, no console or page error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exec-page-"));
    const file = join(dir, "executive.html");
    writeFileSync(file, renderExecutivePage(sampleData()));
    const url = pathToFileURL(file).href;

    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
      const shown = (l: Locator): Promise<void> => l.waitFor({ state: "visible", timeout: 5_000 });
      for (const name of [
        "Hostwinds infrastructure cost",
        "Fleet cost and margin",
        "Tenant health",
        "Top 10 tenants by modelled cost",
        "Monthly trend (closed months)",
      ]) {
        await shown(page.getByRole("heading", { name, exact: true }));
      }
      await shown(page.getByText("Internal cost modelling — not billing; never shown to tenants", { exact: true }));

      const svgs = page.locator("svg");
      const drawn = await svgs.evaluateAll(
        (els) => els.filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0).length,
      );
      expect(drawn).toBeGreaterThanOrEqual(4);

      // The hostile name is visible as text (control characters stripped), and no element came of it.
      const asText = HOSTILE_NAME.replace("\u001b[31m", "");
      expect(await page.locator("td .name", { hasText: "<script>alert(1)</script>" }).innerText()).toBe(asText);
      expect(await page.locator("svg text.lbl", { hasText: "<script>alert(1)</script>" }).count()).toBe(1);
      expect(await page.locator("img, script, iframe, link, object, embed").count()).toBe(0);

      mkdirSync("test-output", { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
