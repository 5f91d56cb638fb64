import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createDb } from "../src/db/client.js";
import { storeForecasts, type StoredForecastRow } from "../src/db/writes/forecast-store.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// Two refreshes of the stored forecast at once (the worker's periodic one and `forecast` from the
// CLI): the later statement's DELETE cannot see the rows the earlier one inserted meanwhile, so
// before ON CONFLICT its INSERT failed with a duplicate key as soon as the earlier one committed.

let db: TestDatabase;
beforeAll(async () => {
  db = await createMigratedDatabase();
});
afterAll(async () => {
  await db.drop();
});

const row = (p50: string): StoredForecastRow => ({
  scope: "fleet",
  scopeId: "fleet",
  month: "2026-12",
  runRate: p50,
  p10: null,
  p50,
  p90: null,
  historyMonths: 3,
});
const fleet = [{ scope: "fleet" as const, scopeId: "fleet" }];

/** Waits until a session of this database waits on a lock (the second store, on the first's row). */
async function waitUntilBlocked(c: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("storing the forecast while another refresh stores it", { timeout: 30_000 }, () => {
  it("lets the later refresh's rows replace the earlier's, with no duplicate key error", async () => {
    const pools = [1, 2].map(() => new pg.Pool({ connectionString: db.url, max: 1 }));
    const [first, second] = pools.map((p) => createDb(p));
    const watcher = new pg.Client({ connectionString: db.url });
    await watcher.connect();
    try {
      let later: Promise<number> | undefined;
      await first!.$transaction(async (tx) => {
        await storeForecasts(tx, { scopes: fleet, rows: [row("100.00")], at: new Date("2026-12-07T10:00:00Z") });
        // The second waits on the first's uncommitted row, then goes on once it commits. (`then` starts
        // it now: a Prisma query is lazy until then.)
        later = storeForecasts(second!, {
          scopes: fleet,
          rows: [row("200.00")],
          at: new Date("2026-12-07T10:00:01Z"),
        }).then((n) => n);
        await waitUntilBlocked(watcher);
      });
      await later;
      const { rows } = await watcher.query<{ p50: string }>("SELECT p50::text FROM cost_forecasts");
      expect(rows).toEqual([{ p50: "200.00" }]);
    } finally {
      await watcher.end();
      for (const d of [first!, second!]) await d.$disconnect();
      for (const p of pools) await p.end();
    }
  });
});
