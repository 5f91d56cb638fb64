import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { MonthCloseSeed } from "./support/month-close-seed.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// A close freezes the month's own figures, rebuilt from cost_history as of its last instant
// (issue #21): October closed in December, after November's price change, is October's; a
// re-close after a reopen is too. Revenue and payments are October's.

let test: TestDatabase;
let seed: MonthCloseSeed;
let env: Record<string, string>;
const cli = (...args: string[]) => runInProcess(args, { env });

beforeAll(async () => {
  test = await createMigratedDatabase("cs_close_history");
  seed = new MonthCloseSeed(test.url);
  env = { DATABASE_URL: test.url, HOSTWINDS_API_URL: "http://127.0.0.1:9", COST_SYNC_OPERATOR: "finance-anna" };
  const tenant = await seed.tenant("acme", 5000); // $50 a month since 2025
  const vps = await seed.vps("25.00", tenant); // today's cost, set by November's change
  await seed.q(
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     VALUES ('vps', $1, NULL, 10.00, 'catalogue', 'first pricing', 'j1', '2026-09-15T00:00:00Z'),
            ('vps', $1, 10.00, 25.00, 'catalogue', 'plan price change', 'j2', '2026-11-10T00:00:00Z')`,
    [vps],
  );
  const [sub] = await seed.q<{ id: string }>(`SELECT id::text FROM subscriptions LIMIT 1`);
  await seed.q(
    `INSERT INTO payments (subscription_id, amount, status, processed, billing_period_start, billing_period_end)
     VALUES ($1, 50.00, 'succeeded', '2026-10-02', '2026-10-01', '2026-10-31'),
            ($1, 50.00, 'failed', '2026-10-03', '2026-10-01', '2026-10-31'),
            ($1, 55.00, 'succeeded', '2026-11-02', '2026-11-01', '2026-11-30')`,
    [sub!.id],
  );
  await seed.refresh(); // the live attribution now says 25.00: the close must not read it
});
afterAll(() => test.drop());

describe("a close from history", () => {
  it("closes October after November's price change with October's cost, revenue and payments", async () => {
    const r = await cli("close-month", "2026-10", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      outcome: "closed",
      close: {
        vpsCost: "10.00",
        totalCost: "10.00",
        unallocatedCost: "0.00",
        revenue: "50.00",
        margin: "40.00",
        paymentsReceived: "50.00",
        figuresAsOf: "2026-10-31T23:59:59.999Z",
      },
    });
    const [tenantRow] = await seed.q(
      `SELECT vps_cost::text, revenue::text, health FROM cost_month_close_tenants WHERE month = '2026-10-01'`,
    );
    expect(tenantRow).toEqual({ vps_cost: "10.00", revenue: "50.00", health: "Excellent" });
  });

  it("re-closed after a reopen, still freezes October's figures, not today's", async () => {
    // October closed, as the test before leaves it ("already closed" after it, exit 0 either way).
    expect((await cli("close-month", "2026-10")).code).toBe(0);
    expect((await cli("close-month", "2026-10", "--reopen", "--reason", "late invoice")).code).toBe(0);
    const r = await cli("close-month", "2026-10", "--json");
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "closed", close: { totalCost: "10.00" } });
    // November itself is closed with the new price.
    const nov = await cli("close-month", "2026-11", "--json");
    expect(JSON.parse(nov.stdout)).toMatchObject({ close: { totalCost: "25.00", paymentsReceived: "55.00" } });
  });
});
