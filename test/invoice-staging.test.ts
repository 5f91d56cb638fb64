import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StagingCopy } from "../src/db/month-end/invoice-staging.js";
import { query, statement } from "../src/db/sql.js";
import type { InvoiceLine, MonthlyEquivalent } from "../src/invoices/index.js";
import { createMigratedDatabase, withClient, type TestDatabase } from "./support/pg.js";

/**
 * The staging COPY (binary format, copy-binary.ts) writes every value as PostgreSQL reads it from
 * text: amounts of any sign and size numeric(12,2) holds, arrays of several months, NULLs, dates,
 * and descriptions with the characters text COPY escapes or that take several UTF-8 bytes. Lines
 * sharing one monthly equivalent under another kind or period get their own values.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createMigratedDatabase("cs_stage");
});
afterAll(() => db.drop());

const month = (m: string, cents: bigint) => ({ month: m, cents });
const frozen = (m: MonthlyEquivalent) => Object.freeze(m);
const QUARTER = frozen({
  method: "whole-months",
  months: 3,
  days: 92,
  monthlyCents: 333n,
  perMonth: [month("2026-10", 334n), month("2026-11", 333n), month("2026-12", 333n)],
});
const ONE_OFF = frozen({ method: "one-off", monthlyCents: -1n, perMonth: [month("2026-11", -1n)] });
const BIG: MonthlyEquivalent = {
  method: "days",
  days: 30,
  monthlyCents: 99_999_999_999n,
  perMonth: [month("2026-11", 99_999_999_999n)],
};

function line(n: number, o: Partial<InvoiceLine> & Pick<InvoiceLine, "monthly">): InvoiceLine {
  return {
    type: "line",
    lineNumber: n,
    invoiceNumber: "INV-1",
    invoiceDate: "2026-11-01",
    description: "Cloud VPS",
    amountCents: 1000n,
    isCredit: false,
    currency: "USD",
    kind: "vps",
    category: "vps",
    isHourlyOrUsage: false,
    ...o,
  };
}

const LINES: InvoiceLine[] = [
  line(2, {
    monthly: QUARTER,
    amountCents: 1000n,
    lineType: "Hosting",
    relid: "30",
    serviceId: "30",
    serviceIdSource: "relid",
    hostname: "mail1.example.com",
    hostnameSource: "description",
    period: { start: "2026-10-01", end: "2026-12-31", source: "description" },
    description: "Cloud VPS\ttab \\ back\nslash é 😀 \r",
  }),
  // The same monthly equivalent, another kind and category and no period: values of its own.
  line(3, { monthly: QUARTER, kind: "ip", category: "ip", ip: "2001:db8::1", amountCents: -5n }),
  line(4, { monthly: ONE_OFF, kind: "other", category: "late-fee", amountCents: 0n, invoiceNumber: "00" }),
  line(5, { monthly: BIG, amountCents: 99_999_999_999n, description: "x".repeat(70_000) }),
  line(6, { monthly: ONE_OFF, kind: "other", category: "discount", amountCents: -123_456_789_01n }),
];

async function stage(c: pg.Client, lines: InvoiceLine[]) {
  await c.query("BEGIN");
  await query(c, statement("invoices/create-staging"), {});
  const copy = StagingCopy.open(c as unknown as pg.PoolClient);
  for (const l of lines) await copy.add(l);
  await copy.finish();
  const rows = await c.query<Record<string, string | null>>(
    `SELECT invoice_number, file_line::text, invoice_date::text, line_type, relid, service_id, service_id_source,
            hostname, hostname_source, ip, md5(description) AS description_md5, length(description)::text AS chars,
            amount_usd::text, kind, category, period_start::text, period_end::text, monthly_method,
            monthly_usd::text, first_month::text, month_usd::text
       FROM invoice_staging ORDER BY file_line`,
  );
  await c.query("ROLLBACK");
  return { rows: rows.rows, copy };
}

describe("staging invoice lines with COPY", () => {
  it("stores each value as its text would be read, NULLs and escapes included", async () => {
    const { rows, copy } = await withClient(db.url, (c) => stage(c, LINES));
    expect(copy.staged).toBe(5);
    expect(copy.monthStarts.sort()).toEqual(["2026-10-01", "2026-11-01", "2026-12-01"]);
    const md5 = (s: string) =>
      withClient(db.url, async (c) => (await c.query<{ h: string }>("SELECT md5($1) AS h", [s])).rows[0]?.h);
    const nulls = { line_type: null, relid: null, service_id: null, service_id_source: null, hostname: null };
    expect(rows).toEqual([
      {
        invoice_number: "INV-1",
        file_line: "2",
        invoice_date: "2026-11-01",
        line_type: "Hosting",
        relid: "30",
        service_id: "30",
        service_id_source: "relid",
        hostname: "mail1.example.com",
        hostname_source: "description",
        ip: null,
        description_md5: await md5("Cloud VPS\ttab \\ back\nslash é 😀 \r"),
        chars: "32",
        amount_usd: "10.00",
        kind: "vps",
        category: "vps",
        period_start: "2026-10-01",
        period_end: "2026-12-31",
        monthly_method: "whole-months",
        monthly_usd: "3.33",
        first_month: "2026-10-01",
        month_usd: "{3.34,3.33,3.33}",
      },
      {
        invoice_number: "INV-1",
        file_line: "3",
        invoice_date: "2026-11-01",
        ...nulls,
        hostname_source: null,
        ip: "2001:db8::1",
        description_md5: await md5("Cloud VPS"),
        chars: "9",
        amount_usd: "-0.05",
        kind: "ip",
        category: "ip",
        period_start: null,
        period_end: null,
        monthly_method: "whole-months",
        monthly_usd: "3.33",
        first_month: "2026-10-01",
        month_usd: "{3.34,3.33,3.33}",
      },
      {
        invoice_number: "00",
        file_line: "4",
        invoice_date: "2026-11-01",
        ...nulls,
        hostname_source: null,
        ip: null,
        description_md5: await md5("Cloud VPS"),
        chars: "9",
        amount_usd: "0.00",
        kind: "other",
        category: "late-fee",
        period_start: null,
        period_end: null,
        monthly_method: "one-off",
        monthly_usd: "-0.01",
        first_month: "2026-11-01",
        month_usd: "{-0.01}",
      },
      {
        invoice_number: "INV-1",
        file_line: "5",
        invoice_date: "2026-11-01",
        ...nulls,
        hostname_source: null,
        ip: null,
        description_md5: await md5("x".repeat(70_000)),
        chars: "70000",
        amount_usd: "999999999.99",
        kind: "vps",
        category: "vps",
        period_start: null,
        period_end: null,
        monthly_method: "days",
        monthly_usd: "999999999.99",
        first_month: "2026-11-01",
        month_usd: "{999999999.99}",
      },
      {
        invoice_number: "INV-1",
        file_line: "6",
        invoice_date: "2026-11-01",
        ...nulls,
        hostname_source: null,
        ip: null,
        description_md5: await md5("Cloud VPS"),
        chars: "9",
        amount_usd: "-123456789.01",
        kind: "other",
        category: "discount",
        period_start: null,
        period_end: null,
        monthly_method: "one-off",
        monthly_usd: "-0.01",
        first_month: "2026-11-01",
        month_usd: "{-0.01}",
      },
    ]);
  });

  it("fails as a numeric overflow (22003) on an amount numeric(12,2) cannot hold", async () => {
    const huge = line(2, { monthly: ONE_OFF, amountCents: 1_000_000_000_000n });
    const err = await withClient(db.url, (c) => stage(c, [huge]).catch((e: unknown) => e));
    expect((err as { code?: string }).code).toBe("22003");
  });
});
