import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { monthOf, nextMonth } from "../src/months.js";
import { runInProcess } from "./support/cli-streams.js";
import { MonthCloseSeed } from "./support/month-close-seed.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// close-month and report trend as Finance runs them: exit codes, what they say, what they write.

let test: TestDatabase;
let seed: MonthCloseSeed;
let env: Record<string, string>;
let tenant: string;
const cli = (...args: string[]) => runInProcess(args, { env });
const closes = () =>
  seed.q<{ month: string; closed_by: string; reopened_by: string | null }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, closed_by, reopened_by FROM cost_month_closes ORDER BY id`,
  );

// Each test builds its own world (docs/testing.md): a fresh database with one tenant's VPS, nothing closed.
beforeEach(async () => {
  test = await createMigratedDatabase("cs_close_cli");
  seed = new MonthCloseSeed(test.url);
  env = { DATABASE_URL: test.url, HOSTWINDS_API_URL: "http://127.0.0.1:9", COST_SYNC_OPERATOR: "finance-anna" };
  tenant = await seed.tenant("acme", 5000);
  await seed.vps("12.34", tenant, ["4.99"]); // not refreshed: close-month rebuilds the month from history
  await seed.since();
});
afterEach(() => test.drop());

/** September 2025 closed by finance-anna, as the first test closes it. */
async function septemberClosed(): Promise<void> {
  expect((await cli("close-month", "2025-09")).code).toBe(0);
}

describe("close-month", () => {
  it("closes a month that has ended, with the operator, and says what it froze", async () => {
    const r = await cli("close-month", "2025-09");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^closed 2025-09: closed \S+ by finance-anna \(command: close-month command\)\n/);
    expect(r.stdout).toContain("  cost       17.33 USD (VPS 12.34, IP 4.99; unallocated 0.00)\n");
    expect(r.stdout).toContain("  margin     32.67 USD (65.34 %)\n");
    expect(r.stdout).toContain("  invoices   not imported\n");
  });

  it("changes nothing when the month is closed, and says so", async () => {
    await septemberClosed();
    const r = await cli("close-month", "2025-09", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ month: "2025-09", outcome: "already closed", close: { closedBy: "finance-anna", totalCost: "17.33" } }); // prettier-ignore
    expect((await cli("close-month", "2025-09")).stdout).toMatch(/^2025-09 is already closed; nothing changed\./);
    expect(await closes()).toEqual([{ month: "2025-09", closed_by: "finance-anna", reopened_by: null }]);
  });

  it("reopens only with a reason, keeps the close on record, and can close again", async () => {
    await septemberClosed();
    expect((await cli("close-month", "2025-09", "--reopen")).code).toBe(2);
    const r = await runInProcess(["close-month", "2025-09", "--reopen", "--reason", "late invoice"], {
      env: { ...env, COST_SYNC_OPERATOR: "finance-bo" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^reopened 2025-09 by finance-bo; /);
    expect((await cli("close-month", "2025-09", "--reopen", "--reason", "again")).code).toBe(1);
    expect((await cli("close-month", "2025-09")).code).toBe(0);
    expect(await closes()).toEqual([
      { month: "2025-09", closed_by: "finance-anna", reopened_by: "finance-bo" },
      { month: "2025-09", closed_by: "finance-anna", reopened_by: null },
    ]);
  });

  it.each([
    [monthOf(new Date()), /is the current month \(UTC\): it can be closed from \d{4}-\d{2}-01/],
    [nextMonth(nextMonth(monthOf(new Date()))), /is in the future/],
    ["2025-13", /month must be written YYYY-MM/],
    ["last-month", /month must be written YYYY-MM/],
  ])("refuses %s with exit 2 and writes nothing", async (month, message) => {
    const before = await closes();
    const r = await cli("close-month", month);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await closes()).toEqual(before);
  });
});

describe("report trend", () => {
  it("prints the fleet's closed months as a table, CSV or JSON with exact decimals", async () => {
    await septemberClosed();
    await seed.vps("0.66", tenant);
    expect((await cli("close-month", "2025-10")).code).toBe(0);
    const table = await cli("report", "trend");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/2 month\(s\) of the fleet; closed months from 2025-09\./);
    const csv = (await cli("report", "trend", "--csv")).stdout.trim().split("\n");
    expect(csv[0]).toBe(
      "month,cost,unallocated_cost,untracked_monthly_cost,revenue,margin,margin_percent,cost_change,cost_change_percent,revenue_change,revenue_change_percent,margin_change,margin_change_percent",
    );
    expect(csv[2]).toBe("2025-10,17.99,0.00,,50.00,32.01,64.02,0.66,3.81,0.00,0.00,-0.66,-2.02");
    const json: unknown = JSON.parse(
      (await cli("report", "trend", "--json", "--months", "1", "--tenant", tenant)).stdout,
    );
    // --json is an object with named arrays (issue #25): the months are under `months`.
    expect(json).toMatchObject({ tenant: { id: tenant }, from: "2025-10" });
    expect((json as { months: unknown }).months).toEqual([
      expect.objectContaining({ month: "2025-10", cost: "17.99", costChange: "0.66", health: "Excellent" }),
    ]);
  });

  it.each([
    [["--months", "0"], /--months must be a whole number from 1 to 120/],
    [["--months", "1.5"], /--months must be a whole number/],
    // A tenant is a uuid or a name (resolveTenant); "acme" names the seeded tenant, so ask for an unknown one.
    [["--tenant", "no-such-tenant"], /no tenant named "no-such-tenant"/],
    [["--json", "--csv"], /choose one of --json, --csv/],
  ])("refuses %j with exit 2", async (flags, message) => {
    const r = await cli("report", "trend", ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("keeps --months and --tenant to the trend", async () => {
    expect((await cli("report", "executive", "--months", "3")).code).toBe(2);
  });
});
