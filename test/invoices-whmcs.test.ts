import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-streams.js";
import { csvField } from "./support/invoice-csv.js";
import { createMigratedDatabase, queryRows, type TestDatabase } from "./support/pg.js";

/**
 * Invoices as WHMCS really writes them (issue #21): type and relid columns, multi-line descriptions,
 * the host after " - ", day-first dates, a promotion netted against its service, an upgrade and an
 * addon IP naming their service by host, a late fee; lines matching two live VPS; date orders.
 * Expected figures are worked out in the comments.
 */
let db: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), "invoices-whmcs-"));
const id: Record<string, string> = {};

const cli = (...args: string[]) => runInProcess(args, { env });
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(db.url, text, params);
const file = (name: string, rows: string[][]) => {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n");
  return path;
};

const WHMCS_HEADER = ["Invoice #", "Invoice Date", "Type", "Relid", "Description", "Amount"];
// Day-first: 31/12/2026 shows it; 01/12/2026 is 1 December.
const DEC = "(01/12/2026 - 31/12/2026)";
const WHMCS = [
  WHMCS_HEADER,
  ["5001", "01/12/2026", "Hosting", "30", `Cloud VPS 2GB - mail1.example.com ${DEC}\nOperating System: Ubuntu 22.04`, "19.98"], // prettier-ignore
  ["5001", "01/12/2026", "PromoHosting", "30", "Promotion Code: HALF - 50% Recurring Discount", "-9.99"],
  ["5001", "01/12/2026", "Hosting", "0", `Cloud VPS 4GB - relay.example.net ${DEC}`, "15.00"], // host name only
  ["5001", "01/12/2026", "Hosting", "41", `Cloud VPS 4GB - mta2.example.com ${DEC}`, "20.00"],
  ["5001", "01/12/2026", "Upgrade", "9876", "Upgrade/Downgrade: Cloud VPS 2GB - mta2.example.com\nCloud VPS 2GB => Cloud VPS 4GB (16/12/2026 - 31/12/2026)", "5.00"], // prettier-ignore
  ["5001", "01/12/2026", "Addon", "555", `Additional IP Address - mta2.example.com ${DEC}`, "4.99"],
  ["5001", "01/12/2026", "LateFee", "0", "Late Fee", "10.00"],
];

const vpsMonth = (month: string) =>
  sql<{ serviceid: string; invoiced_usd: string; modelled_usd: string; drift: string }>(
    `SELECT v.hostwinds_instance_id AS serviceid, m.invoiced_usd::text, m.modelled_usd::text,
            (m.invoiced_usd - m.modelled_usd)::text AS drift
       FROM invoice_vps_months m JOIN vps_instances v ON v.id = m.vps_id
      WHERE m.month = $1::date AND m.invoiced_usd IS NOT NULL ORDER BY 1`,
    [month],
  );

beforeAll(async () => {
  db = await createMigratedDatabase("cs_whmcs");
  env = { DATABASE_URL: db.url, COST_SYNC_OPERATOR: "finance-tester", ANOMALY_THRESHOLD_USD: "5.00" };
  const add = async (key: string, sid: string, ip: string | null, cost: string) => {
    const [row] = await sql<{ id: string }>(
      `INSERT INTO vps_instances (hostwinds_instance_id, ip_address, status, approximate_cost, created)
       VALUES ($1, $2, 'active', $3, '2026-01-01') RETURNING id::text`,
      [sid, ip, cost],
    );
    id[key] = row!.id;
  };
  await add("a", "30", null, "9.99");
  await add("b", "41", null, "20.00");
  await add("c", "50", null, "15.00");
  await add("d", "60", "192.0.2.77", "7.00"); // d and e share an address: a line naming it is ambiguous
  await add("e", "61", "192.0.2.77", "7.00");
  await sql(
    `INSERT INTO smtp_ip_addresses (vps_instance_id, ip_address, status, approximate_cost) VALUES ($1, '203.0.113.41', 'warmed', 4.99)`,
    [id.b],
  );
  // The latest reconciliation listed every instance with its host name, tracked or not.
  const [run] = await sql<{ id: string }>(
    `INSERT INTO cost_reconciliation_runs (job_id, trigger, status, finished_at, untracked_instances, untracked_unpriced, untracked_monthly_cost, ghost_rows)
     VALUES ('r1', 'manual', 'completed', now(), 1, 0, 3.00, 0) RETURNING id::text`,
  );
  await sql(
    `INSERT INTO cost_listed_instances (run_id, serviceid, hostname, status)
     VALUES ($1, '30', 'mail1.example.com', 'Active'), ($1, '41', 'MTA2.example.com.', 'Active'),
            ($1, '50', 'relay.example.net', 'Active'), ($1, '777', 'ghost.example.org', 'Active')`,
    [run!.id],
  );
});

afterAll(() => db.drop());

/** A December line naming an IP two live VPS have (serviceids 60 and 61). */
const AMBIGUOUS_IP = [
  ["invoice_number", "invoice_date", "ip", "description", "amount"],
  ["6001", "2026-12-01", "192.0.2.77", "Cloud VPS (2026-12-01 - 2026-12-31)", "7.00"],
];

/** The WHMCS file imported, as the first test imports it (importing it again replaces its invoice whole). */
async function whmcsImported(): Promise<void> {
  expect((await cli("invoices", "import", file("whmcs.csv", WHMCS))).code).toBe(0);
}

describe("a WHMCS-shaped invoice", () => {
  it("imports with 0 bad lines, each line matched as WHMCS means it, and exact drift", async () => {
    const r = await cli("invoices", "import", file("whmcs.csv", WHMCS));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dates read day-first (DD/MM/YYYY): line 2 has 31/12/2026");
    expect(r.stdout).toContain("7 valid lines in 1 invoices, 0 bad lines");
    // A by relid (Hosting and its promotion), B by relid, C, the upgrade and the addon by host name.
    expect(r.stdout).toContain("matched: 5 VPS lines (3 by service_id, 0 by ip, 2 by host name)");
    expect(r.stdout).toContain("1 IP lines (0 by ip, 0 by service_id and 1 by host name through the VPS)");
    const lines = await sql(
      `SELECT line_no, line_type, kind, category, matched, matched_by, service_id, service_id_source, hostname,
              period_start::text, month_usd::text
         FROM invoice_lines ORDER BY line_no`,
    );
    expect(lines).toEqual([
      { line_no: 1, line_type: "Hosting", kind: "vps", category: "vps", matched: "vps", matched_by: "service_id", service_id: "30", service_id_source: "relid", hostname: "mail1.example.com", period_start: "2026-12-01", month_usd: "{19.98}" }, // prettier-ignore
      { line_no: 2, line_type: "PromoHosting", kind: "vps", category: "promo", matched: "vps", matched_by: "service_id", service_id: "30", service_id_source: "relid", hostname: null, period_start: "2026-12-01", month_usd: "{-9.99}" }, // prettier-ignore
      { line_no: 3, line_type: "Hosting", kind: "vps", category: "vps", matched: "vps", matched_by: "hostname", service_id: null, service_id_source: null, hostname: "relay.example.net", period_start: "2026-12-01", month_usd: "{15.00}" }, // prettier-ignore
      { line_no: 4, line_type: "Hosting", kind: "vps", category: "vps", matched: "vps", matched_by: "service_id", service_id: "41", service_id_source: "relid", hostname: "mta2.example.com", period_start: "2026-12-01", month_usd: "{20.00}" }, // prettier-ignore
      // 16 days: 500 × 1461 / (48 × 16) = 951.17 cents -> 9.51 a month; relid 9876 is the upgrade's own id.
      { line_no: 5, line_type: "Upgrade", kind: "vps", category: "upgrade", matched: "vps", matched_by: "hostname", service_id: null, service_id_source: null, hostname: "mta2.example.com", period_start: "2026-12-16", month_usd: "{9.51}" }, // prettier-ignore
      { line_no: 6, line_type: "Addon", kind: "ip", category: "ip", matched: "ip", matched_by: "hostname", service_id: null, service_id_source: null, hostname: "mta2.example.com", period_start: "2026-12-01", month_usd: "{4.99}" }, // prettier-ignore
      { line_no: 7, line_type: "LateFee", kind: "other", category: "late-fee", matched: "other", matched_by: null, service_id: null, service_id_source: null, hostname: null, period_start: null, month_usd: "{10.00}" }, // prettier-ignore
    ]);
    // A: 19.98 - 9.99 = 9.99 (modelled 9.99); B: 20.00 + 9.51 = 29.51 (modelled 20.00); C: 15.00.
    expect(await vpsMonth("2026-12-01")).toEqual([
      { serviceid: "30", invoiced_usd: "9.99", modelled_usd: "9.99", drift: "0.00" },
      { serviceid: "41", invoiced_usd: "29.51", modelled_usd: "20.00", drift: "9.51" },
      { serviceid: "50", invoiced_usd: "15.00", modelled_usd: "15.00", drift: "0.00" },
    ]);
    // 1 - 9.51 / 54.50 = 0.82550...; the late fee is other spend.
    expect(
      await sql(
        `SELECT accuracy::text, other_spend_usd::text FROM invoice_monthly_accuracy WHERE month = '2026-12-01'`,
      ),
    ).toEqual([{ accuracy: "0.8255", other_spend_usd: "10.00" }]);
  });

  it("report invoices defaults to the latest imported month", async () => {
    await whmcsImported();
    const r = await cli("report", "invoices", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ month: "2026-12", summary: { accuracy: "0.8255" } });
  });
});

describe("matching", () => {
  it("a line naming two live VPS is ambiguous, with its candidates, and attributed to neither", async () => {
    const path = file("ambiguous.csv", AMBIGUOUS_IP);
    const r = await cli("invoices", "import", path);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 ambiguous (more than one live VPS, not attributed)");
    expect(r.stdout).toContain("line 2: 6001#1 vps ip 192.0.2.77 7.00 USD ambiguous: live VPS serviceids 60, 61");
    expect(
      await sql(`SELECT matched, candidates::text, vps_id FROM invoice_lines WHERE invoice_number = '6001'`),
    ).toEqual([{ matched: "ambiguous", candidates: "{60,61}", vps_id: null }]);
  });
});

describe("date order", () => {
  const AMBIGUOUS = [
    ["invoice_number", "invoice_date", "service_id", "description", "amount"],
    ["7001", "01/02/2026", "30", "Cloud VPS (01/02/2026 - 01/03/2026)", "9.99"],
  ];

  it("a file whose dates never show their order is refused (exit 2, nothing written) until told", async () => {
    const before = await sql(`SELECT count(*)::int AS n FROM invoice_lines`);
    const r = await cli("invoices", "import", file("ambiguous-dates.csv", AMBIGUOUS));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("it needs --date-order mdy|dmy. Nothing was written.");
    expect(await sql(`SELECT count(*)::int AS n FROM invoice_lines`)).toEqual(before);
    const told = await cli("invoices", "import", join(dir, "ambiguous-dates.csv"), "--date-order", "dmy", "--dry-run");
    expect(told.code).toBe(0);
    expect(told.stdout).toContain("dates read day-first (DD/MM/YYYY), as --date-order dmy says");
    expect((await cli("invoices", "import", join(dir, "ambiguous-dates.csv"), "--date-order", "ymd")).code).toBe(2);
  });
});

describe("export focus", () => {
  // FOCUS 1.2's Mandatory columns, as the spec lists them: every specification/columns/*.md of
  // FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec at tag v1.2 (7296e314) whose Content Constraints say
  // "Feature level | Mandatory", 21 of them, in the spec's (alphabetical) order; the rest are Conditional or
  // Recommended (BillingAccountType, new in 1.2, is Conditional). Written out here, not imported, so
  // that the test checks the code (docs/focus.md).
  const MANDATORY = [
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd",
    "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity",
    "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
  ]; // prettier-ignore
  /** Columns the spec allows to be null (ChargeClass is null for a charge that corrects nothing). */
  const NULLABLE = new Set(["ChargeClass"]);

  it("writes every mandatory column, one row per line of the month's invoices, BilledCost summing to them", async () => {
    // December's invoices as the tests before leave them: the WHMCS file and the ambiguous line.
    await whmcsImported();
    expect((await cli("invoices", "import", file("ambiguous.csv", AMBIGUOUS_IP))).code).toBe(0);
    const out = join(dir, "focus.csv");
    const r = await cli("export", "focus", "--month", "2026-12", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 8 FOCUS 1\.2 rows for 2026-12 to /);
    const [header, ...rows] = readFileSync(out, "utf8").trimEnd().split("\r\n");
    const columns = header!.split(",");
    expect(MANDATORY.filter((c) => !columns.includes(c))).toEqual([]);
    expect(columns.slice(0, MANDATORY.length)).toEqual(MANDATORY); // first, in the spec's order
    // No cell holds a comma here, so a plain split reads the rows.
    const records = rows.map(
      (line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i] ?? "", v])) as Record<string, string>,
    );
    for (const rec of records)
      for (const c of MANDATORY) if (!NULLABLE.has(c)) expect(rec[c], `${c} of ${JSON.stringify(rec)}`).not.toBe("");
    const cents = (s: string) => BigInt(s.replace(".", ""));
    const billed = records.reduce((sum, rec) => sum + cents(rec.BilledCost ?? ""), 0n);
    const [total] = await sql<{ usd: string }>(
      `SELECT sum(amount_usd)::text AS usd FROM invoice_lines WHERE invoice_date >= '2026-12-01' AND invoice_date < '2027-01-01'`,
    );
    expect(billed).toBe(cents(total!.usd)); // 64.98 (invoice 5001) + 7.00 (invoice 6001)
    expect(total!.usd).toBe("71.98");
    const hosting = records.find((rec) => rec.InvoiceId === "5001" && rec.x_InvoiceLine === "4")!;
    expect(hosting).toMatchObject({
      ResourceId: "41",
      ResourceName: "mta2.example.com",
      BilledCost: "20.00",
      ListCost: "20.00",
      EffectiveCost: "20.00",
      ChargeCategory: "Purchase",
      ChargePeriodStart: "2026-12-01T00:00:00Z",
      ChargePeriodEnd: "2027-01-01T00:00:00Z",
      ServiceCategory: "Compute",
    });
    expect(records.find((rec) => rec.x_LineType === "PromoHosting")).toMatchObject({ ChargeCategory: "Credit" });
  });

  it("refuses a month that is not YYYY-MM with exit 2", async () => {
    expect((await cli("export", "focus", "--month", "2026-13")).code).toBe(2);
    expect((await cli("export", "focus")).code).toBe(2);
  });
});
