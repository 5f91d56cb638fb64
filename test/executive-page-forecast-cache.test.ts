import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { cachedPageForecast } from "../src/services/executive/forecast-cache.js";
import { executivePageData, FORECAST_MONTHS } from "../src/services/executive/page-data.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

/**
 * The served executive page forecasts the fleet once per attribution refresh, not on every request
 * (issue #25): a cost change the attribution has not taken in yet leaves the cached forecast as it
 * was (the page's other figures wait for the refresh too), and the refresh brings it in.
 */
let db: TestDatabase;
let prisma: Db;
const res = new Resources();
let fx: ReturnType<typeof executiveFixtures>;

beforeAll(async () => {
  db = await createMigratedDatabase("cs_exec_forecast_cache");
  ({ db: prisma } = openDatabase(res, db.url, { poolSize: 2 }));
  fx = executiveFixtures(db.url);
  await fx.vps("100.00", await fx.tenant("Acme", 29_900));
  await fx.refresh();
}, 120_000);
afterAll(async () => {
  await res.close();
  await db.drop();
});

describe("the served page's forecast", () => {
  it("is computed once per attribution refresh: a cost change shows after the refresh, not before", async () => {
    const forecast = cachedPageForecast(prisma, FORECAST_MONTHS);
    const served = async () => (await executivePageData(prisma, { forecast })).forecast;
    const first = await served();
    expect(first?.length).toBeGreaterThan(0);
    await fx.q(`UPDATE vps_instances SET approximate_cost = 300.00`);
    const uncached = (await executivePageData(prisma)).forecast;
    expect(uncached).not.toEqual(first); // the change moves the forecast...
    expect(await served()).toEqual(first); // ...but the cached one waits for the attribution refresh
    await fx.refresh();
    expect(await served()).toEqual(uncached);
  });
});
