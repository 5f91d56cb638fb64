import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { closeMonth } from "../src/db/month-end/month-close.js";
import { openDatabase } from "../src/infrastructure.js";
import { createMetrics } from "../src/ops/metrics.js";
import { statusReader } from "../src/ops/status-reader.js";
import { Resources } from "../src/resources.js";
import { forecast } from "../src/services/forecast/forecast-service.js";
import { refreshStoredForecasts } from "../src/services/forecast/stored-forecasts.js";
import { sampleValue } from "./support/exposition.js";
import { MonthCloseSeed } from "./support/month-close-seed.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

/**
 * The business alerts' gauges and the forecast money gauge read from a real database through the
 * worker's status reader (the SQL /metrics serves; the queue, which these gauges do not read, is
 * empty). Three tenants on 100.00 plans, each on a 20.00 VPS: all Excellent. October 2026 is closed;
 * then Acme's VPS costs 80.00 (Monitor) and Globex's 150.00 (Critical), Initech's stays.
 */
let test: TestDatabase;
let db: Db;
const res = new Resources();
const seed = () => new MonthCloseSeed(test.url);
const vps: Record<string, string> = {};
const noQueue = { getJobCounts: () => Promise.resolve({}) } as unknown as Queue;
const scrape = () =>
  createMetrics({
    readStatus: statusReader(noQueue, db),
    statusMaxAgeMs: 0,
    statusTimeoutMs: 30_000,
  }).registry.metrics();
const close = (month: string) => closeMonth(db, { month, closedBy: "test", trigger: "command", reason: "test" });
const monthStart = (month: string) => Date.parse(`${month}-01T00:00:00Z`) / 1000;

beforeAll(async () => {
  test = await createMigratedDatabase("cs_business_gauges");
  ({ db } = openDatabase(res, test.url, { poolSize: 2 }));
  const s = seed();
  await s.since();
  for (const name of ["Acme", "Globex", "Initech"]) vps[name] = await s.vps("20.00", await s.tenant(name, 10_000));
  await s.refresh();
}, 120_000);
afterAll(async () => {
  await res.close();
  await test.drop();
});

describe("business gauges on a seeded database", () => {
  it("the month before this one not closed: previous_month_closed 0, the latest close named; nothing fallen yet", async () => {
    expect((await close("2026-10")).outcome).toBe("closed");
    const text = await scrape();
    const previous = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1));
    // Only when the month before now is not October itself (the test runs after November 2026).
    expect(previous.toISOString().slice(0, 7) > "2026-10").toBe(true);
    expect(sampleValue(text, "cost_sync_previous_month_closed")).toBe(0);
    expect(sampleValue(text, "cost_sync_last_closed_month_timestamp_seconds")).toBe(monthStart("2026-10"));
    expect(sampleValue(text, "cost_sync_tenants_health_fallen", { health: "monitor" })).toBe(0);
    expect(sampleValue(text, "cost_sync_tenants_health_fallen", { health: "critical" })).toBe(0);
  });

  it("a tenant whose health fell to Monitor, one to Critical since that close, each counted once", async () => {
    await close("2026-10"); // October closed with all three Excellent, as the test before leaves it
    const s = seed();
    await s.setVpsCost(vps.Acme!, "80.00"); // 100 > 80 but not > 1.5 × 80: Monitor
    await s.setVpsCost(vps.Globex!, "150.00"); // revenue below cost: Critical Action Required
    await s.refresh();
    const text = await scrape();
    expect(sampleValue(text, "cost_sync_tenants_health_fallen", { health: "monitor" })).toBe(1);
    expect(sampleValue(text, "cost_sync_tenants_health_fallen", { health: "critical" })).toBe(1);
    expect(sampleValue(text, "cost_sync_tenants_negative_margin")).toBe(1);
  });

  it("closing the month before this one sets previous_month_closed to 1", async () => {
    const previous = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 1));
    const month = previous.toISOString().slice(0, 7);
    expect((await close(month)).outcome).toBe("closed");
    const text = await scrape();
    expect(sampleValue(text, "cost_sync_previous_month_closed")).toBe(1);
    expect(sampleValue(text, "cost_sync_last_closed_month_timestamp_seconds")).toBe(monthStart(month));
  });

  it("the fleet forecast gauge shows this month's stored p50: no sample before a refresh stored one, no forecast per scrape", async () => {
    expect(sampleValue(await scrape(), "cost_sync_fleet_forecast_usd")).toBeUndefined();
    await refreshStoredForecasts(db);
    const [fleet] = await forecast(db, { months: 1, scope: { scope: "fleet", scopeId: "" } });
    const stored = Number(fleet!.thisMonth.p50);
    expect(sampleValue(await scrape(), "cost_sync_fleet_forecast_usd")).toBe(stored);
    // A cost change moves the next stored forecast, not the gauge: scrapes read what was stored.
    await seed().setVpsCost(vps.Initech!, "500.00");
    await seed().refresh();
    expect(sampleValue(await scrape(), "cost_sync_fleet_forecast_usd")).toBe(stored);
    await refreshStoredForecasts(db);
    expect(sampleValue(await scrape(), "cost_sync_fleet_forecast_usd")).not.toBe(stored);
  });
});
