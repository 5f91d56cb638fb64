import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { csvFiles } from "./support/csv-files.js";
import { createMigratedDatabase, queryRows, type TestDatabase } from "./support/pg.js";

/**
 * Corrected files and the bounds at the door (issue #21): an invoice in a file replaces its lines
 * whole, every month that gains or loses a line is recomputed (figures, accuracy, anomalies,
 * monthly_cost), the output lists removed and moved lines; amounts, NULs and period years that no
 * real line has are bad lines with their numbers, and no driver overflow reaches the user.
 */
let db: TestDatabase;
let env: Record<string, string>;
let vpsId = "";

const HEADER = "invoice_number,invoice_date,service_id,description,amount";
const cli = (...args: string[]) => runInProcess(args, { env });
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(db.url, text, params);
const file = csvFiles("invoices-corrections-", HEADER);
const months = () =>
  sql<{ month: string; invoiced_usd: string | null }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, invoiced_usd::text FROM invoice_vps_months
      WHERE invoiced_usd IS NOT NULL ORDER BY month`,
  );
const accuracyMonths = () =>
  sql<{ month: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, total_usd::text FROM invoice_month_totals ORDER BY 1`,
  );
const anomalies = () =>
  sql<{ month: string }>(
    `SELECT to_char(invoice_month, 'YYYY-MM') AS month, new_value::text FROM cost_anomalies WHERE resource_kind = 'vps invoice' ORDER BY 1`,
  );
const monthlyCost = async () =>
  (await sql<{ v: string | null }>(`SELECT monthly_cost::text AS v FROM vps_instances WHERE id = $1`, [vpsId]))[0]!.v;

beforeAll(async () => {
  db = await createMigratedDatabase("cs_corrections");
  env = { DATABASE_URL: db.url, COST_SYNC_OPERATOR: "finance-tester", ANOMALY_THRESHOLD_USD: "5.00" };
  const [row] = await sql<{ id: string }>(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost, created)
     VALUES ('30', 'active', 10.00, '2020-01-01') RETURNING id::text`,
  );
  vpsId = row!.id;
});
afterAll(() => db.drop());

// November is typed 2027 by mistake (a year typo), then corrected; line 3 is dropped.
const typo = [
  "9001,11/01/2026,30,Cloud VPS (11/01/2027 - 11/30/2027),30.00",
  "9001,11/01/2026,30,Cloud VPS (10/01/2026 - 10/31/2026),10.00",
  "9001,11/01/2026,30,Snapshot storage,2.00",
];
const fixed = [
  "9001,11/01/2026,30,Cloud VPS (11/01/2026 - 11/30/2026),30.00",
  "9001,11/01/2026,30,Cloud VPS (10/01/2026 - 10/31/2026),10.00",
];

/**
 * The tests after the first build on the corrected file being imported (October 10.00, November 30.00).
 * In file order the first test has imported it; run alone (`-t NAME`), a test imports it here first.
 */
let fixedImported = false;
async function afterFixedImport(): Promise<void> {
  if (fixedImported) return;
  expect((await cli("invoices", "import", file("fixed.csv", fixed))).code).toBe(0);
  fixedImported = true;
}

describe("a corrected file", () => {
  it("moves the line's month: the old month's figures, accuracy, anomaly and monthly_cost go with it", async () => {
    expect((await cli("invoices", "import", file("typo.csv", typo))).code).toBe(0);
    expect(await months()).toEqual([
      { month: "2026-10", invoiced_usd: "10.00" },
      { month: "2027-11", invoiced_usd: "30.00" },
    ]);
    expect(await anomalies()).toEqual([{ month: "2027-11", new_value: "30.00" }]);
    expect(await monthlyCost()).toBe("30.00"); // the latest invoiced month, 2027-11

    const r = await cli("invoices", "import", file("fixed.csv", fixed));
    expect(r.code).toBe(0);
    fixedImported = true;
    expect(r.stdout).toContain("corrections: 1 line(s) removed, 1 moved to other months:");
    expect(r.stdout).toContain(
      '  moved: 9001#1 30.00 USD "Cloud VPS (11/01/2027 - 11/30/2027)" from 2027-11 to 2026-11',
    );
    expect(r.stdout).toContain('  removed: 9001#3 2.00 USD "Snapshot storage" (2026-11)');
    // Line 1 is updated in place (its number is kept), line 2 left alone, line 3 removed.
    expect(r.stdout).toContain("wrote: 0 new lines, 1 changed, 1 unchanged, 1 removed from their invoices");
    // 2027-11 lost its only line: no figure, no anomaly, no total left behind there.
    expect(await months()).toEqual([
      { month: "2026-10", invoiced_usd: "10.00" },
      { month: "2026-11", invoiced_usd: "30.00" },
    ]);
    expect(await anomalies()).toEqual([{ month: "2026-11", new_value: "30.00" }]);
    expect(await accuracyMonths()).toEqual([
      { month: "2026-10", total_usd: "10.00" },
      { month: "2026-11", total_usd: "30.00" },
      { month: "2027-11", total_usd: "0.00" },
    ]);
    expect(await sql(`SELECT count(*)::int AS n FROM invoice_lines`)).toEqual([{ n: 2 }]); // the dropped line is gone
    expect(await monthlyCost()).toBe("30.00");
    const fills = await sql(
      `SELECT to_char(invoice_month, 'YYYY-MM') AS month, new_value::text FROM vps_monthly_cost_changes ORDER BY id`,
    );
    expect(fills).toEqual([{ month: "2027-11", new_value: "30.00" }]); // 30.00 either way: no write needed
  });

  it("re-imported, changes nothing", async () => {
    await afterFixedImport();
    const before = await sql(`SELECT * FROM invoice_lines ORDER BY invoice_number, line_no`);
    const r = await cli("invoices", "import", file("fixed.csv", fixed));
    expect(r.stdout).toContain("wrote: 0 new lines, 0 changed, 2 unchanged, 0 removed from their invoices");
    expect(r.stdout).not.toContain("corrections:");
    expect(await sql(`SELECT * FROM invoice_lines ORDER BY invoice_number, line_no`)).toEqual(before);
  });

  it("a month whose figure changes sets monthly_cost again, even when an older month is now the latest", async () => {
    await afterFixedImport();
    const later = ["9002,12/01/2026,30,Cloud VPS (12/01/2026 - 12/31/2026),12.00"];
    expect((await cli("invoices", "import", file("dec.csv", later))).code).toBe(0);
    expect(await monthlyCost()).toBe("12.00");
    // December's invoice was a mistake: corrected to a credit note for nothing (a zero line in October).
    const undone = ["9002,12/01/2026,30,Cloud VPS (10/01/2026 - 10/31/2026),0.00"];
    const r = await cli("invoices", "import", file("dec-undone.csv", undone));
    expect(r.stdout).toContain("moved: 9002#1 12.00 USD");
    expect(await monthlyCost()).toBe("30.00"); // November is the latest invoiced month again
  });

  it("a drift back within the thresholds removes its anomaly; one still beyond them keeps it, updated", async () => {
    const sept = (usd: string) => [`9003,09/01/2026,30,Cloud VPS (09/01/2026 - 09/30/2026),${usd}`];
    const september = async () => (await anomalies()).filter((a) => a.month === "2026-09");
    expect((await cli("invoices", "import", file("sep.csv", sept("30.00")))).code).toBe(0);
    expect(await september()).toEqual([{ month: "2026-09", new_value: "30.00" }]);
    expect((await cli("invoices", "import", file("sep.csv", sept("40.00")))).code).toBe(0);
    expect(await september()).toEqual([{ month: "2026-09", new_value: "40.00" }]);
    expect((await cli("invoices", "import", file("sep.csv", sept("12.00")))).code).toBe(0); // modelled 10.00
    expect(await september()).toEqual([]);
  });
});

describe("bounds at the door", () => {
  it("an amount of 1,000,000.00 or more, a NUL, a period years from its invoice: bad lines with their numbers", async () => {
    await afterFixedImport();
    const r = await cli(
      "invoices",
      "import",
      file("bounds.csv", [
        "9101,11/01/2026,30,Cloud VPS (11/01/2026 - 11/30/2026),1000000.00",
        "9101,11/01/2026,30,Cloud\u0000VPS (11/01/2026 - 11/30/2026),9.99",
        "9101,11/01/2026,30,Cloud VPS (11/01/2062 - 11/30/2062),9.99",
        "9101,11/01/2026,30,Cloud VPS (11/01/2026 - 11/30/2026),999999.99",
      ]),
      "--skip-bad",
    );
    expect(r.stdout).toContain(
      'bad line 2: amount "1000000.00" is 1,000,000.00 or more: no Hostwinds invoice line comes near it',
    );
    expect(r.stdout).toContain("bad line 3: field 4 holds a NUL character");
    expect(r.stdout).toContain(
      "bad line 4: the period 2062-11-01 - 2062-11-30 is not within 3 years of the invoice date 2026-11-01",
    );
    // 999,999.99 is a valid line; with November's 30.00 it makes the VPS's month 1,000,029.99, more
    // than an anomaly can hold: refused as the user's input (exit 2), never the driver's overflow.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("a VPS's invoiced month is 1,000,000.00 or more");
    expect(r.stderr).not.toContain("numeric field overflow");
    expect(await sql(`SELECT count(*)::int AS n FROM invoice_lines WHERE invoice_number = '9101'`)).toEqual([{ n: 0 }]);
  });

  it("a monthly equivalent of 1,000,000.00 or more over a short period is a bad line", async () => {
    const r = await cli(
      "invoices",
      "import",
      file("short.csv", ["9102,2026-11-01,30,Cloud VPS (2026-11-01 - 2026-11-02),99999.99"]),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("bad line 2: its monthly equivalent over 2 days is 1,000,000.00 or more");
  });
});

describe("close-month bounds", () => {
  it("refuses months before cost-sync's first history, and year 0, with exit 2 and nothing written", async () => {
    await sql(
      `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, started_at, finished_at)
       VALUES ('first', 'manual', 'completed', '2025-03-10', '2025-03-10')`,
    );
    for (const month of ["0001-01", "0000-01", "2025-02"]) {
      const r = await cli("close-month", month);
      expect(r.code, month).toBe(2);
      expect(r.stderr).not.toContain("date/time field value out of range");
    }
    expect((await cli("close-month", "2025-02")).stderr).toContain(
      "2025-02 cannot be closed: it is before 2025-03, the first month cost-sync has any history for",
    );
    expect(await sql(`SELECT count(*)::int AS n FROM cost_month_closes`)).toEqual([{ n: 0 }]);
    expect((await cli("close-month", "2025-03")).code).toBe(0);
  });
});
