import pg from "pg";
import { generateHistory, type History, type HistoryConfig } from "../../dev/history/model.js";
import { writeHistory } from "../../dev/history/write.js";
import { createDb, type Db } from "../../src/db/client.js";
import { createMigratedDatabase, type TestDatabase } from "./pg.js";

/** The forecast tests' generated history: 14 months, a known growth, churn and shared VPS. */
export const FORECAST_HISTORY: Omit<HistoryConfig, "end"> = { seed: 11, months: 14, tenants: 15, vps: 160, ipsPerVps: 2, sharedEvery: 7, growthPercent: 4, churnPercent: 1 }; // prettier-ignore
/** The as-of tests' generated history: 8 months, more churn. */
export const AS_OF_HISTORY: Omit<HistoryConfig, "end"> = { seed: 7, months: 8, tenants: 12, vps: 90, ipsPerVps: 2, sharedEvery: 6, growthPercent: 6, churnPercent: 2 }; // prettier-ignore

/** A migrated database of its own holding a generated history, with a pg client and the Prisma client. */
export interface HistoryDatabase {
  test: TestDatabase;
  /** For the test's own SQL. */
  c: pg.Client;
  /** What the services take. */
  db: Db;
  h: History;
  close(): Promise<void>;
}

export async function historyDatabase(prefix: string, config: HistoryConfig): Promise<HistoryDatabase> {
  const test = await createMigratedDatabase(prefix);
  const c = new pg.Client({ connectionString: test.url });
  await c.connect();
  const pool = new pg.Pool({ connectionString: test.url, max: 2 });
  const db = createDb(pool);
  const h = generateHistory(config);
  await writeHistory(c, h);
  return {
    test,
    c,
    db,
    h,
    close: async () => {
      await c.end();
      await db.$disconnect();
      await pool.end();
      await test.drop();
    },
  };
}
