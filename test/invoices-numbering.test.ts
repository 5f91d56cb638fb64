import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { csvFiles } from "./support/csv-files.js";
import { createMigratedDatabase, queryRows, type TestDatabase } from "./support/pg.js";

/**
 * Line numbers within an invoice (docs/invoices.md, "Numbering"): the valid lines of each invoice
 * in file order, whether its lines are together in the file or not. The reader notes only runs of
 * consecutive lines of one invoice (invoice-staging.ts); match-lines.sql adds the earlier runs.
 */
let db: TestDatabase;
let env: Record<string, string>;

const HEADER = "invoice_number,invoice_date,service_id,description,amount";
const cli = (...args: string[]) => runInProcess(args, { env });
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(db.url, text, params);
const file = csvFiles("invoices-numbering-", HEADER);

beforeAll(async () => {
  db = await createMigratedDatabase("cs_numbering");
  env = { DATABASE_URL: db.url, COST_SYNC_OPERATOR: "finance-tester" };
  await sql(
    `INSERT INTO vps_instances (hostwinds_instance_id, status, approximate_cost, created)
     VALUES ('30', 'active', 10.00, '2020-01-01')`,
  );
});
afterAll(() => db.drop());

// 7001 in three runs, 7002 in two, 7003 in one; line 5 (7001) is bad and skipped.
const LINES = [
  "7001,2026-11-01,30,a1,1.00", // 2
  "7001,2026-11-01,30,a2,2.00", // 3
  "7002,2026-11-01,30,b1,3.00", // 4
  "7001,2026-11-01,30,bad,1.2.3", // 5
  "7001,2026-11-01,30,a3,4.00", // 6
  "7001,2026-11-01,30,a4,5.00", // 7
  "7003,2026-11-01,30,c1,6.00", // 8
  "7002,2026-11-01,30,b2,7.00", // 9
  "7002,2026-11-01,30,b3,8.00", // 10
  "7001,2026-11-01,30,a5,9.00", // 11
];

describe("invoices import: line numbers", () => {
  it("numbers each invoice's valid lines in file order, its lines together in the file or not", async () => {
    const path = file("interleaved.csv", LINES);
    expect((await cli("invoices", "import", path, "--skip-bad", "--json")).code).toBe(0);
    const lines = () =>
      sql(`SELECT invoice_number, line_no, file_line, description FROM invoice_lines ORDER BY invoice_number, line_no`);
    expect(await lines()).toEqual([
      { invoice_number: "7001", line_no: 1, file_line: 2, description: "a1" },
      { invoice_number: "7001", line_no: 2, file_line: 3, description: "a2" },
      { invoice_number: "7001", line_no: 3, file_line: 6, description: "a3" },
      { invoice_number: "7001", line_no: 4, file_line: 7, description: "a4" },
      { invoice_number: "7001", line_no: 5, file_line: 11, description: "a5" },
      { invoice_number: "7002", line_no: 1, file_line: 4, description: "b1" },
      { invoice_number: "7002", line_no: 2, file_line: 9, description: "b2" },
      { invoice_number: "7002", line_no: 3, file_line: 10, description: "b3" },
      { invoice_number: "7003", line_no: 1, file_line: 8, description: "c1" },
    ]);
    // The same file again: the same numbers, nothing written.
    const before = await sql(`SELECT *, xmin::text AS x FROM invoice_lines ORDER BY invoice_number, line_no`);
    const again = await cli("invoices", "import", path, "--skip-bad", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ matched: { inserted: 0, updated: 0, deleted: 0, invoices: 3 } });
    expect(await sql(`SELECT *, xmin::text AS x FROM invoice_lines ORDER BY invoice_number, line_no`)).toEqual(before);
  });
});
