import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "../src/db/client.js";
import { CLOSE, closeInForce, closeMonth, monthCloses, reopenMonth } from "../src/db/month-end/month-close.js";
import { query } from "../src/db/sql.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { runInProcess } from "./support/cli-streams.js";
import { HEADER } from "./support/invoice-csv.js";
import { MonthCloseSeed } from "./support/month-close-seed.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// Month close against PostgreSQL: the frozen figures to the cent, one close per month whatever
// the interleaving, reopen with its history, and nothing for a month that has not ended.

let test: TestDatabase;
let seed: MonthCloseSeed;
let db: Db;
let res: Resources;
const t: Record<string, string> = {};
let unownedVps: string;
const close = (month: string, closedBy = "finance-anna") =>
  closeMonth(db, { month, closedBy, trigger: "command", reason: "test close" });
const tenantRows = (month: string) =>
  seed.q<Record<string, string | null>>(
    `SELECT ct.tenant_id::text, ct.vps_cost::text, ct.ip_cost::text, ct.total_cost::text, ct.revenue::text,
            ct.margin::text, ct.margin_percent::text, ct.health
       FROM cost_month_close_tenants ct JOIN cost_month_closes c ON c.id = ct.close_id
      WHERE c.month = $1::date AND c.reopened_at IS NULL ORDER BY ct.revenue DESC, ct.total_cost`,
    [`${month}-01`],
  );

// Each test builds its own world (docs/testing.md): a fresh database with the fleet below, nothing closed.
beforeEach(async () => {
  test = await createMigratedDatabase("cs_close");
  res = new Resources();
  seed = new MonthCloseSeed(test.url);
  ({ db } = openDatabase(res, test.url, { poolSize: 4 }));
  t.a = await seed.tenant("a", 10_000); // $100
  t.b = await seed.tenant("b", 2900); // $29
  t.c = await seed.tenant("c"); // no subscription: cost, no revenue
  await seed.vps("30.00", t.a, ["4.99"]);
  await seed.vps("20.00", t.b);
  await seed.vps("5.00", t.c);
  unownedVps = await seed.vps("999.00", null);
  await seed.untracked("12.50", 2);
  await seed.refresh();
});
afterEach(async () => {
  await res.close();
  await test.drop();
});

/** August 2025 closed by finance-anna at 1058.99 (the first test's close), then the unowned VPS repriced to 1.00. */
async function augustClosedThenRepriced(): Promise<void> {
  await close("2025-08");
  await seed.setVpsCost(unownedVps, "1.00");
  await seed.refresh();
}

describe("closing a month", () => {
  it("freezes every tenant's cost, revenue, margin and health and the fleet's totals, to the cent", async () => {
    const done = await close("2025-08");
    expect(done.outcome).toBe("closed");
    expect(await tenantRows("2025-08")).toEqual([
      { tenant_id: t.a, vps_cost: "30.00", ip_cost: "4.99", total_cost: "34.99", revenue: "100.00", margin: "65.01", margin_percent: "65.01", health: "Excellent" }, // prettier-ignore
      { tenant_id: t.b, vps_cost: "20.00", ip_cost: "0.00", total_cost: "20.00", revenue: "29.00", margin: "9.00", margin_percent: "31.03", health: "Monitor" }, // prettier-ignore
      { tenant_id: t.c, vps_cost: "5.00", ip_cost: "0.00", total_cost: "5.00", revenue: "0.00", margin: "-5.00", margin_percent: null, health: "Critical Action Required" }, // prettier-ignore
    ]);
    expect(done.outcome === "closed" && done.close).toMatchObject({
      month: "2025-08",
      closedBy: "finance-anna",
      trigger: "command",
      tenants: 3,
      vpsCost: "1054.00",
      ipCost: "4.99",
      totalCost: "1058.99",
      unallocatedCost: "999.00",
      revenue: "129.00",
      margin: "-929.99",
      marginPercent: "-720.92", // -929.99 / 129 * 100 = -720.922..., rounded once
      untrackedMonthlyCost: "12.50",
      untrackedInstances: 2,
      invoicedUsd: null,
      invoiceAccuracy: null,
      otherHostwindsSpendUsd: null,
      reopenedAt: null,
    });
  });

  it("changes nothing when the month is closed already", async () => {
    await augustClosedThenRepriced();
    const again = await close("2025-08", "someone-else");
    expect(again).toMatchObject({
      outcome: "already closed",
      close: { closedBy: "finance-anna", totalCost: "1058.99" },
    });
    expect(await monthCloses(db, "2025-08")).toHaveLength(1);
    expect(await tenantRows("2025-08")).toHaveLength(3);
  });

  it("reopens with who and why, keeps the old close on record, and closes again with the figures of now", async () => {
    await augustClosedThenRepriced();
    const reopened = await reopenMonth(db, { month: "2025-08", reopenedBy: "finance-bo", reason: "late invoice" });
    expect(reopened).toMatchObject({ reopenedBy: "finance-bo", reopenReason: "late invoice", totalCost: "1058.99" });
    expect(await closeInForce(db, "2025-08")).toBeUndefined();
    expect(await reopenMonth(db, { month: "2025-08", reopenedBy: "x", reason: "again" })).toBeUndefined();
    const closed = await close("2025-08", "finance-bo");
    expect(closed).toMatchObject({ outcome: "closed", close: { totalCost: "60.99", unallocatedCost: "1.00" } });
    const history = await monthCloses(db, "2025-08");
    expect(history.map((c) => [c.closedBy, c.totalCost, c.reopenedBy, c.reopenReason])).toEqual([
      ["finance-anna", "1058.99", "finance-bo", "late invoice"],
      ["finance-bo", "60.99", null, null],
    ]);
    const [kept] = await seed.q<{ n: number }>(`SELECT count(*)::int AS n FROM cost_month_close_tenants`);
    expect(kept!.n).toBe(6); // both closes' tenant rows
  });

  it("closes neither the current month nor a future one, even when asked directly", async () => {
    const now = new Date();
    const current = now.toISOString().slice(0, 7);
    const future = new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1)).toISOString().slice(0, 7);
    expect(await close(current)).toEqual({ outcome: "not ended" });
    expect(await close(future)).toEqual({ outcome: "not ended" });
    expect(await seed.q(`SELECT 1 FROM cost_month_closes WHERE month >= date_trunc('month', now())`)).toEqual([]);
  });
});

describe("two closes at once", () => {
  it("make one close: the second waits for the first, then the statement's guard inserts nothing", async () => {
    const params = (closedBy: string) => ({
      month: "2025-07-01",
      closedBy,
      trigger: closedBy === "scheduled" ? "schedule" : "command",
      reason: "race",
      runId: null,
    });
    const [a, b] = [new pg.Client(test.url), new pg.Client(test.url)];
    await Promise.all([a.connect(), b.connect()]);
    let firstCloseId: string | null;
    try {
      await a.query("BEGIN");
      const first = await query(a, CLOSE, params("scheduled"));
      firstCloseId = first[0]!.closeId;
      await b.query("BEGIN");
      // What b's caller checked first: no close in force (a has not committed), so b goes ahead.
      expect((await b.query(`SELECT 1 FROM cost_month_closes WHERE month = '2025-07-01'`)).rows).toEqual([]);
      const bPid = (await b.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
      const second = query(b, CLOSE, params("finance"));
      await vi.waitFor(
        async () => {
          const [w] = await seed.q<{ e: string | null }>(`SELECT wait_event_type AS e FROM pg_stat_activity WHERE pid = $1`, [bPid]); // prettier-ignore
          expect(w?.e).toBe("Lock");
        },
        { timeout: 30_000, interval: 50 },
      );
      await a.query("COMMIT");
      const lost = await second;
      await b.query("COMMIT");
      expect(first[0]).toMatchObject({ tenants: 3 });
      expect(lost[0]).toEqual({ closeId: null, tenants: 0 });
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    const closes = await monthCloses(db, "2025-07");
    expect(closes.map((c) => c.closedBy)).toEqual(["scheduled"]);
    expect(firstCloseId).toBe(closes[0]!.id);
    expect(await tenantRows("2025-07")).toHaveLength(3);
  });

  it("through the repository, concurrently, report one closed and one already closed", async () => {
    const outcomes = await Promise.all([close("2025-06", "one"), close("2025-06", "two")]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["already closed", "closed"]);
    expect(await monthCloses(db, "2025-06")).toHaveLength(1);
  });
});

describe("a close after invoices were imported", () => {
  it("freezes the month's invoiced total, the accuracy of the matched VPS and the other Hostwinds spend", async () => {
    // Tenant b's VPS is modelled at 20.00 and invoiced 22.00 for September; a snapshot line is
    // fleet-level spend. Accuracy = 1 - |20.00 - 22.00| / 22.00 = 0.90909..., to 4 decimals 0.9091.
    const renamed = await seed.q<{ id: string }>(
      `UPDATE vps_instances SET hostwinds_instance_id = '9020' WHERE approximate_cost = 20.00 RETURNING id::text`,
    );
    expect(renamed, "exactly one VPS of the seed is modelled at 20.00").toHaveLength(1);
    const period = "(09/01/2025 - 09/30/2025)";
    const csv = [
      HEADER,
      `2001,09/01/2025,9020,,,Cloud VPS ${period},22.00,USD,,`,
      `2001,09/03/2025,9020,,,Server Snapshot - 40 GB,1.50,USD,2025-09-01,2025-09-30`,
    ].join("\n");
    const file = join(mkdtempSync(join(tmpdir(), "close-invoices-")), "sept.csv");
    writeFileSync(file, csv);
    const imported = await runInProcess(["invoices", "import", file], { env: { DATABASE_URL: test.url } });
    expect(imported.code, imported.stderr).toBe(0);
    const done = await close("2025-09");
    expect(done.outcome === "closed" && done.close).toMatchObject({
      invoicedUsd: "23.50",
      invoiceAccuracy: "0.9091",
      otherHostwindsSpendUsd: "1.50",
    });
  });
});
