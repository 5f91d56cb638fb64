import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { refreshAttribution } from "../src/db/writes/attribution.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { runInProcess } from "./support/cli-streams.js";
import { createMigratedDatabase, queryRows, type TestDatabase } from "./support/pg.js";

// A refresh survives a bad row: a NaN cost that slipped past a dropped constraint is left out of the
// attribution, counted and named, instead of failing the refresh for every tenant.

let test: TestDatabase;
let db: Db;
const res = new Resources();
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(test.url, text, params);

beforeAll(async () => {
  test = await createMigratedDatabase("cs_refresh_nan");
  ({ db } = openDatabase(res, test.url, { poolSize: 2 }));
});
afterAll(async () => {
  await res.close();
  await test.drop();
});

describe("a NaN cost that slipped through", () => {
  it("is left out of the attribution, counted and named; every other cost is attributed", async () => {
    const [good, bad] = await sql<{ id: string }>(
      `INSERT INTO vps_instances (status, approximate_cost) VALUES ('active', 12.34), ('active', 5.00) RETURNING id::text`,
    );
    // The constraint lost, as on a database restored without its constraints.
    await sql(`ALTER TABLE vps_instances DROP CONSTRAINT chk_vps_approximate_cost_positive`);
    await sql(`UPDATE vps_instances SET approximate_cost = 'NaN' WHERE id = $1`, [bad!.id]);

    expect(await refreshAttribution(db)).toEqual([{ kind: "vps", n: 1, ids: [bad!.id] }]);
    const [unallocated] = await sql<{ vps: string; n: number }>(
      `SELECT vps_cost::text AS vps, vps_count::int AS n FROM cost_attribution_by_tenant WHERE tenant_id IS NULL`,
    );
    expect(unallocated).toEqual({ vps: "12.34", n: 1 });

    const cli = await runInProcess(["refresh"], { env: { DATABASE_URL: test.url } });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`left out of the attribution, their cost is NaN: 1 VPS (${bad!.id})`);
    expect(cli.stdout).not.toContain(good!.id);
  });
});
