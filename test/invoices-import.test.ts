import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { csvField, HEADER } from "./support/invoice-csv.js";
import { createMigratedDatabase, queryRows, type TestDatabase } from "./support/pg.js";

/**
 * invoices import and report invoices against PostgreSQL: two months, a quarterly line, an
 * additional IP, a service nobody tracks (on the latest run's untracked list), a VPS matched by its
 * address, a non-USD line and a malformed amount. Expected figures are worked out in the comments.
 */
const OPERATOR = "finance-tester";
let db: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), "invoices-"));
const vps: Record<"a" | "b" | "c" | "d", string> = { a: "", b: "", c: "", d: "" };

const line = (cells: string[]) => cells.map(csvField).join(",");
const nov = "(11/01/2026 - 11/30/2026)";
const dec = "(12/01/2026 - 12/31/2026)";
// Columns: invoice_number, invoice_date, service_id, hostname, ip, description, amount, currency, period_start, period_end
const FILE = [
  HEADER,
  line(["1001", "11/01/2026", "30", "", "", `Cloud VPS - Linux 1 CPU / 2 GB ${nov}`, "9.99", "USD", "", ""]), // 2
  line(["1001", "11/01/2026", "30", "", "203.0.113.25", `Additional IP Address ${nov}`, "5.49", "USD", "", ""]), // 3
  line(["1001", "11/01/2026", "", "", "198.51.100.50", `Cloud VPS - Linux 4 CPU ${nov}`, "45.00", "USD", "", ""]), // 4
  line(["1002", "11/01/2026", "41", "", "", "Cloud VPS quarterly", "$29.95", "USD", "2026-11-01", "2027-01-31"]), // 5
  line(["1002", "11/01/2026", "777", "ghost.example.com", "", `Cloud VPS ${nov}`, "15.00", "USD", "", ""]), // 6
  line(["1003", "12/01/2026", "30", "", "", `Cloud VPS - Linux 1 CPU / 2 GB ${dec}`, "10.49", "USD", "", ""]), // 7
  line(["1003", "12/01/2026", "41", "", "", `Cloud VPS ${dec}`, "9.99", "EUR", "", ""]), // 8
  line(["1003", "12/01/2026", "30", "", "", `Cloud VPS ${dec}`, "12.3.4", "USD", "", ""]), // 9
  line(["1003", "12/03/2026", "30", "", "", "Server Snapshot - 40 GB", "1.00", "USD", "", ""]), // 10
].join("\r\n");

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const cli = (...args: string[]) => runInProcess(args, { env });
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(db.url, text, params);

/** Everything an import writes, to compare before and after. */
const snapshot = async () => ({
  lines: await sql(`SELECT * FROM invoice_lines ORDER BY invoice_number, line_no`),
  vpsMonths: await sql(`SELECT * FROM invoice_vps_months ORDER BY month, vps_id`),
  totals: await sql(`SELECT * FROM invoice_month_totals ORDER BY month`),
  fills: await sql(`SELECT * FROM vps_monthly_cost_changes ORDER BY id`),
  anomalies: await sql(`SELECT * FROM cost_anomalies ORDER BY id`),
  monthlyCost: await sql(`SELECT id, monthly_cost::text FROM vps_instances ORDER BY id`),
});

beforeAll(async () => {
  db = await createMigratedDatabase();
  env = {
    DATABASE_URL: db.url,
    COST_SYNC_OPERATOR: OPERATOR,
    ANOMALY_THRESHOLD_PERCENT: "20",
    ANOMALY_THRESHOLD_USD: "10.00",
  };
  const add = async (sid: string, ip: string | null, cost: string) =>
    (
      await sql<{ id: string }>(
        `INSERT INTO vps_instances (hostwinds_instance_id, ip_address, status, approximate_cost, created)
         VALUES ($1, $2, 'active', $3, '2026-01-01') RETURNING id::text`,
        [sid, ip, cost],
      )
    )[0]!.id;
  vps.a = await add("0030", "198.51.100.30", "9.99"); // leading zero: matched by service_id 30
  vps.b = await add("41", null, "12.00");
  vps.c = await add("50", "198.51.100.50", "20.00");
  vps.d = await add("60", null, "5.00"); // never invoiced
  await sql(
    `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost)
             VALUES ($1, '203.0.113.25', 'warmed', 4.99)`,
    [vps.a],
  );
  // A's cost was 8.99 from October and 9.99 from 10 December: November is modelled at 8.99.
  await sql(
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     VALUES ('vps', $1, NULL, 8.99, 'catalogue', 'first pricing', 'j1', '2026-10-20T00:00:00Z'),
            ('vps', $1, 8.99, 9.99, 'catalogue', 'plan price', 'j2', '2026-12-10T00:00:00Z')`,
    [vps.a],
  );
  // The latest reconciliation found serviceid 777 at Hostwinds, referenced by no row.
  const [run] = await sql<{ id: string }>(
    `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, finished_at, untracked_instances, untracked_unpriced, untracked_monthly_cost, ghost_rows)
     VALUES ('r1', 'manual', 'completed', now(), 1, 0, 15.00, 0) RETURNING id::text`,
  );
  await sql(
    `INSERT INTO cost_untracked_instances (run_id, serviceid, hostname, monthly_cost) VALUES ($1, '777', 'ghost.example.com', 15.00)`,
    [run!.id],
  );
});

afterAll(async () => {
  await db.drop();
});

/**
 * The tests after the --skip-bad import build on it. In file order that test has imported the file;
 * run alone (`-t NAME`), a test imports it here first, exactly as that test does.
 */
let skipBadImported = false;
async function afterSkipBadImport(): Promise<void> {
  if (skipBadImported) return;
  expect((await cli("invoices", "import", file("nov-dec.csv", FILE), "--skip-bad", "--json")).code).toBe(0);
  skipBadImported = true;
}

describe("invoices import", () => {
  it("refuses a file with bad lines: lists each with its number and reason, writes nothing", async () => {
    const before = await snapshot();
    const r = await cli("invoices", "import", file("nov-dec.csv", FILE));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("bad line 8: currency EUR is not USD\n");
    expect(r.stdout).toContain('bad line 9: amount "12.3.4" is not an amount');
    expect(r.stdout).toContain("nothing written: 2 bad line(s)");
    expect(await snapshot()).toEqual(before);
  });

  it("--dry-run prints what would be matched and written, and writes nothing", async () => {
    const before = await snapshot();
    const r = await cli("invoices", "import", file("nov-dec.csv", FILE), "--dry-run", "--skip-bad");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dry run (nothing is written)");
    expect(r.stdout).toContain(
      "matched: 4 VPS lines (3 by service_id, 1 by ip, 0 by host name), 1 IP lines (1 by ip, 0 by service_id and 0 by host name through the VPS), 1 other spend, 0 ambiguous (more than one live VPS, not attributed), 1 unmatched (1 naming an untracked instance)",
    );
    expect(r.stdout).toContain(
      "would write: 7 new lines, 0 changed, 0 unchanged, 0 removed from their invoices, 2 bad skipped; monthly_cost for 3 VPS",
    );
    expect(r.stdout).toMatch(/2026-11 +64\.98 +40\.99 +28\.01 +0\.5689/);
    expect(await snapshot()).toEqual(before);
  });

  it("--skip-bad imports the valid lines: exact drift per VPS and month, accuracy, unmatched, not invoiced", async () => {
    const r = await cli("invoices", "import", file("nov-dec.csv", FILE), "--skip-bad", "--json");
    expect(r.code).toBe(0);
    skipBadImported = true;
    const out = JSON.parse(r.stdout) as { badLines: { lineNumber: number }[]; committed: boolean };
    expect(out.committed).toBe(true);
    expect(out.badLines.map((b) => b.lineNumber)).toEqual([8, 9]);
    // November: A 9.99 invoiced vs 8.99 in effect then (cost_history), B 29.95 quarterly -> 9.99 vs
    // 12.00, C 45.00 (matched by ip) vs 20.00. |1.00| + |-2.01| + |25.00| = 28.01 of 64.98 invoiced.
    // December: A 10.49 vs 9.99, B 9.98 vs 12.00: 2.52 of 20.47. January: B 9.98 vs 12.00.
    expect(
      await sql(`SELECT to_char(month, 'YYYY-MM') AS month, invoiced_usd::text, modelled_usd::text, abs_drift_usd::text,
                        accuracy::text, vps_invoiced, vps_not_invoiced, unmatched_lines, other_spend_usd::text
                   FROM invoice_monthly_accuracy ORDER BY month`),
    ).toEqual([
      row("2026-11", "64.98", "40.99", "28.01", "0.5689", 3, 1, 1, "0.00"),
      row("2026-12", "20.47", "21.99", "2.52", "0.8769", 2, 2, 0, "1.00"),
      row("2027-01", "9.98", "12.00", "2.02", "0.7976", 1, 3, 0, "0.00"),
    ]);
    const drift = await sql<{ month: string; vps: string; invoiced: string | null; modelled: string }>(
      `SELECT to_char(month, 'YYYY-MM') AS month, vps_id::text AS vps, invoiced_usd::text AS invoiced, modelled_usd::text AS modelled
         FROM invoice_vps_months ORDER BY month, modelled_usd`,
    );
    const name = Object.fromEntries(Object.entries(vps).map(([k, v]) => [v, k]));
    expect(drift.map((d) => `${d.month} ${name[d.vps] ?? "?"} ${d.invoiced ?? "-"} / ${d.modelled}`)).toEqual([
      "2026-11 d - / 5.00",
      "2026-11 a 9.99 / 8.99",
      "2026-11 b 9.99 / 12.00",
      "2026-11 c 45.00 / 20.00",
      "2026-12 d - / 5.00",
      "2026-12 a 10.49 / 9.99",
      "2026-12 b 9.98 / 12.00",
      "2026-12 c - / 20.00",
      "2027-01 d - / 5.00",
      "2027-01 a - / 9.99",
      "2027-01 b 9.98 / 12.00",
      "2027-01 c - / 20.00",
    ]);
    // Only C's November drift (+25.00, +125 %) is beyond both thresholds (10.00 USD, 20 %).
    expect(
      await sql(`SELECT resource_kind, resource_id::text, old_value::text, new_value::text, change_usd::text, change_pct::text,
                        to_char(invoice_month, 'YYYY-MM') AS month FROM cost_anomalies`),
    ).toEqual([
      {
        resource_kind: "vps invoice",
        resource_id: vps.c,
        old_value: "20.00",
        new_value: "45.00",
        change_usd: "25.00",
        change_pct: "125.00",
        month: "2026-11",
      },
    ]);
    expect(
      await sql(
        `SELECT invoice_number, line_no, matched, untracked_serviceid FROM invoice_lines WHERE matched = 'unmatched'`,
      ),
    ).toEqual([{ invoice_number: "1002", line_no: 2, matched: "unmatched", untracked_serviceid: "777" }]);
  });

  it("fills monthly_cost from each VPS's latest invoiced month, recording who and why", async () => {
    await afterSkipBadImport();
    expect(await monthlyCosts()).toEqual({ a: "10.49", b: "9.98", c: "45.00", d: null });
    expect(
      await sql(
        `SELECT old_value, new_value::text, to_char(invoice_month, 'YYYY-MM') AS month, source, changed_by
                   FROM vps_monthly_cost_changes WHERE vps_id = $1`,
        [vps.a],
      ),
    ).toEqual([{ old_value: null, new_value: "10.49", month: "2026-12", source: "invoice", changed_by: OPERATOR }]);
  });

  it("importing the same file again changes nothing", async () => {
    await afterSkipBadImport();
    const before = await snapshot();
    const r = await cli("invoices", "import", file("nov-dec.csv", FILE), "--skip-bad");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "wrote: 0 new lines, 0 changed, 7 unchanged, 0 removed from their invoices, 2 bad skipped; monthly_cost for 0 VPS",
    );
    expect(await snapshot()).toEqual(before);
  });

  it("never puts an older month's figure over a newer one in monthly_cost", async () => {
    await afterSkipBadImport();
    const october = [
      HEADER,
      line(["0990", "10/01/2026", "30", "", "", "Cloud VPS (10/01/2026 - 10/31/2026)", "7.77", "", "", ""]),
    ];
    const r = await cli("invoices", "import", file("october.csv", october.join("\n")));
    expect(r.code).toBe(0);
    expect((await monthlyCosts()).a).toBe("10.49");
    const january = [
      HEADER,
      line(["1104", "01/01/2027", "30", "", "", "Cloud VPS (01/01/2027 - 01/31/2027)", "11.11", "", "", ""]),
    ];
    expect((await cli("invoices", "import", file("january.csv", january.join("\n")))).code).toBe(0);
    expect((await monthlyCosts()).a).toBe("11.11");
    expect((await cli("invoices", "import", file("october.csv", october.join("\n")))).code).toBe(0);
    expect((await monthlyCosts()).a).toBe("11.11");
  });
});

describe("report invoices", () => {
  it("shows a month's accuracy, drift, unmatched lines, not-invoiced VPS and the IP price suggestion", async () => {
    await afterSkipBadImport();
    const r = await cli("report", "invoices", "--month", "2026-11", "--json");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      summary: Record<string, unknown>;
      drift: { serviceid: string; driftUsd: string; anomaly: boolean }[];
      unmatched: { serviceId: string; untrackedServiceid: string; monthUsd: string }[];
      notInvoiced: { serviceid: string }[];
      ipPrices: { monthlyUsd: string; ips: number; isConstant: boolean }[];
    };
    expect(report.summary).toMatchObject({ accuracy: "0.5689", ipTypicalUsd: "5.49", ipConstantUsd: "4.99" });
    expect(report.summary.ipSuggestion).toContain("IPs are invoiced at 5.49 a month, the constant is 4.99");
    expect(report.drift.map((d) => [d.serviceid, d.driftUsd, d.anomaly])).toEqual([
      ["50", "25.00", true],
      ["41", "-2.01", false],
      ["0030", "1.00", false],
    ]);
    expect(report.unmatched.map((u) => [u.serviceId, u.untrackedServiceid, u.monthUsd])).toEqual([
      ["777", "777", "15.00"],
    ]);
    expect(report.notInvoiced.map((v) => v.serviceid)).toEqual(["60"]);
    expect(report.ipPrices).toEqual([{ monthlyUsd: "5.49", ips: 1, isConstant: false }]);
    const csv = await cli("report", "invoices", "--month", "2026-11", "--csv");
    expect(csv.stdout).toContain("# summary\nmonth,invoiced_usd,modelled_usd,abs_drift_usd,accuracy,");
    expect(csv.stdout).toContain("\n2026-11,64.98,40.99,28.01,0.5689,");
  });

  it("refuses a bad --month with a usage error", async () => {
    await afterSkipBadImport();
    for (const month of ["2026-13", "11/2026", "2026-1"]) {
      const r = await cli("report", "invoices", "--month", month);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--month must be a month as YYYY-MM (such as 2026-11), got "${month}"`);
    }
    // Without --month: the latest month any imported line applies to (2027-01, the quarterly line's last).
    const latest = await cli("report", "invoices", "--json");
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.stdout)).toMatchObject({ month: "2027-01" });
  });
});

describe("invoice tables", () => {
  it("are readable by the fleet-reading roles only, never by application_service", async () => {
    const rows = await sql<{ role: string; reads: boolean }>(
      `SELECT r AS role, bool_and(has_table_privilege(r, t, 'SELECT')) AS reads
         FROM unnest(ARRAY['business_analysts', 'executives', 'db_administrators', 'application_service']) r,
              unnest(ARRAY['invoice_lines', 'invoice_vps_months', 'invoice_month_totals', 'vps_monthly_cost_changes', 'invoice_monthly_accuracy']) t
        GROUP BY r ORDER BY r`,
    );
    expect(rows).toEqual([
      { role: "application_service", reads: false },
      { role: "business_analysts", reads: true },
      { role: "db_administrators", reads: true },
      { role: "executives", reads: true },
    ]);
  });
});

function row(...v: [string, string, string, string, string, number, number, number, string]) {
  const [
    month,
    invoiced_usd,
    modelled_usd,
    abs_drift_usd,
    accuracy,
    vps_invoiced,
    vps_not_invoiced,
    unmatched_lines,
    other_spend_usd,
  ] = v;
  return {
    month,
    invoiced_usd,
    modelled_usd,
    abs_drift_usd,
    accuracy,
    vps_invoiced,
    vps_not_invoiced,
    unmatched_lines,
    other_spend_usd,
  };
}

async function monthlyCosts(): Promise<Record<string, string | null>> {
  const rows = await sql<{ id: string; cost: string | null }>(
    `SELECT id::text, monthly_cost::text AS cost FROM vps_instances`,
  );
  const byId = new Map(rows.map((r) => [r.id, r.cost]));
  return Object.fromEntries(Object.entries(vps).map(([k, id]) => [k, byId.get(id) ?? null]));
}

describe("an import into months of which some hold rows", () => {
  it("adds to the held month's rows and inserts the new month's (the straight insert is for months holding none)", async () => {
    await afterSkipBadImport();
    const rows = (month: string) =>
      sql<{ vps_id: string; invoiced_usd: string | null; invoice_lines: number; modelled_usd: string }>(
        `SELECT vps_id::text, invoiced_usd::text, invoice_lines, modelled_usd::text
           FROM invoice_vps_months WHERE month = $1 ORDER BY vps_id`,
        [month],
      );
    const november = await rows("2026-11-01");
    const more = [
      HEADER,
      line(["2001", "11/01/2026", "30", "", "", `Cloud VPS - Linux 1 CPU ${nov}`, "1.00", "USD", "", ""]),
      line(["2002", "02/01/2027", "30", "", "", "Cloud VPS (02/01/2027 - 02/28/2027)", "5.00", "USD", "", ""]),
    ];
    expect((await cli("invoices", "import", file("nov-feb.csv", more.join("\n")))).code).toBe(0);
    // November keeps every row, A's now with both files' lines; February lists A invoiced and the
    // other three (created before it, modelled above 0.00) not invoiced.
    expect(await rows("2026-11-01")).toEqual(
      november.map((r) => (r.vps_id === vps.a ? { ...r, invoiced_usd: "10.99", invoice_lines: 2 } : r)),
    );
    expect((await rows("2027-02-01")).map((r) => [r.vps_id, r.invoiced_usd, r.invoice_lines]).sort()).toEqual(
      [
        [vps.a, "5.00", 1],
        [vps.b, null, 0],
        [vps.c, null, 0],
        [vps.d, null, 0],
      ].sort(),
    );
  });
});
