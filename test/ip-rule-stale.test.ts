import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IP_COST_CONFIG_KEY } from "../src/db/setting-keys.js";
import { repriceIps } from "../src/db/writes/ip-costs.js";
import { costOf, Harness, insertVps } from "./support/harness.js";
import pg from "pg";
import { createDb } from "../src/db/client.js";

// The IP rule's staleness check (queries/include/ip-rule-stale.sql) reads the constant in
// system_config as a number only when it looks like one. Its pattern once had an unescaped `.`
// (matching any character), so a hand-written "3x50" passed the pattern and failed the ::numeric
// cast: the whole repricing errored instead of counting the IP as stale and leaving it alone.

const h = new Harness();
beforeAll(async () => {
  await h.setup();
});
afterAll(async () => {
  await h.teardown();
});

describe("the IP rule's staleness check", { timeout: 60_000 }, () => {
  it("takes a system_config constant that is not a number as changed: the IP is skipped and kept, not an error", async () => {
    const { ipIds } = await insertVps(h, { serviceid: 7301, ips: 1 });
    const ipId = ipIds[0]!;
    await h.sql(`UPDATE smtp_ip_addresses SET approximate_cost = 4.99 WHERE id = $1`, [ipId]);
    await h.sql(`UPDATE system_config SET value = to_jsonb('3x50'::text) WHERE key = $1`, [IP_COST_CONFIG_KEY]);

    const pool = new pg.Pool({ connectionString: h.db.url, max: 1 });
    const db = createDb(pool);
    const r = await repriceIps(
      db,
      { ipIds: [ipId] },
      { constantCents: 510n, write: { jobId: "t", reason: "test" } },
    ).finally(async () => {
      await db.$disconnect();
      await pool.end();
    });

    expect({ checked: r.checked, changed: r.changed, skipped: r.skipped }).toEqual({
      checked: 1,
      changed: 0,
      skipped: 1,
    });
    expect((await costOf(h, "smtp_ip_addresses", ipId)).cost).toBe("4.99");
  });
});
