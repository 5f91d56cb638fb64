import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { refreshAttribution } from "../src/db/writes/attribution.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { executiveFixtures } from "./support/executive-fixtures.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

// Each refresh rewrites every row of the attribution and the snapshot (each carries refreshed_at):
// without reclaiming the dead versions at once, the tables, and every scan of the executive views,
// grew by their whole size per refresh until autovacuum came by.

let test: TestDatabase;
let db: Db;
const res = new Resources();

beforeAll(async () => {
  test = await createMigratedDatabase("cs_refresh_size");
  ({ db } = openDatabase(res, test.url, { poolSize: 2 }));
  const fx = executiveFixtures(test.url);
  for (let i = 0; i < 150; i++) await fx.vps("10.00", await fx.tenant(`t${String(i)}`, 4900));
});
afterAll(async () => {
  await res.close();
  await test.drop();
});

describe("the refresh", () => {
  it("keeps the snapshot and the attribution at a steady size however often it runs", async () => {
    const sizes = async () => {
      const [r] = await withClient(
        test.url,
        async (c) =>
          (
            await c.query<{ snapshot: string; attribution: string }>(
              `SELECT pg_relation_size('tenant_business_snapshot')::text AS snapshot,
                    pg_relation_size('cost_attribution_by_tenant')::text AS attribution`,
            )
          ).rows,
      );
      return { snapshot: Number(r!.snapshot), attribution: Number(r!.attribution) };
    };
    await refreshAttribution(db);
    await refreshAttribution(db);
    const steady = await sizes();
    for (let i = 0; i < 8; i++) await refreshAttribution(db);
    const after = await sizes();
    // Without the vacuum, 8 more refreshes add 8 copies of each table.
    expect(after.snapshot).toBeLessThanOrEqual(steady.snapshot + 8192);
    expect(after.attribution).toBeLessThanOrEqual(steady.attribution + 8192);
  });
});
