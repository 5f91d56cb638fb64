import { describe, expect, it } from "vitest";
import { classifyLine } from "../src/invoices/classify.js";
import { mapHeader } from "../src/invoices/columns.js";
import { parseDate, withoutPeriodSuffix } from "../src/invoices/dates.js";
import { hostnameFromDescription, parseAmountCents } from "../src/invoices/fields.js";
import { parseIp } from "../src/invoices/ip.js";
import { InvoiceFileError } from "../src/invoices/read-invoice-file.js";
import { HEADER, readAll, readLines, row, validLine } from "./support/invoice-csv.js";

describe("header", () => {
  it("matches names trimmed, case-insensitively, with spaces, _ and - alike, and the aliases", () => {
    const r = mapHeader([
      " Invoice # ",
      "DATE",
      "ServiceID",
      "Server",
      "IP_Address",
      "Item",
      "Amount (USD)",
      "currency",
      "From",
      "To",
      "Notes",
    ]);
    expect(r).toMatchObject({
      ok: true,
      header: {
        columns: {
          invoice_number: 0,
          invoice_date: 1,
          service_id: 2,
          hostname: 3,
          ip: 4,
          description: 5,
          amount: 6,
          currency: 7,
          period_start: 8,
          period_end: 9,
        },
        ignored: ["Notes"],
        notes: ["ignored column: Notes"],
      },
    });
    expect(mapHeader(["INVOICE-NUMBER", "invoice_date", "Line Description", "total", "dedicated ip"])).toMatchObject({
      ok: true,
      header: { columns: { invoice_number: 0, invoice_date: 1, description: 2, amount: 3, ip: 4 }, ignored: [] },
    });
  });

  it("one error names every missing column", () => {
    const r = mapHeader(["invoice_number", "date", "hostname", "item"]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe(
      "the header on line 1 is not usable: missing required column: amount. " +
        'Its columns: "invoice_number", "date", "hostname", "item"',
    );
  });

  it("two columns meaning one is an error", () => {
    const r = mapHeader(["invoice_number", "date", "invoice date", "item", "amount", "service"]);
    expect(!r.ok && r.error).toContain('columns "date" and "invoice date" both mean invoice_date');
  });

  it("readInvoiceFile throws InvoiceFileError for an unusable header or an empty file, before any line", async () => {
    await expect(readAll("invoice_number,amount\n1,2\n")).rejects.toThrow(InvoiceFileError);
    await expect(readAll("invoice_number,amount\n1,2\n")).rejects.toThrow(
      "missing required columns: invoice_date, description",
    );
    await expect(readAll("\n\n")).rejects.toThrow("the file is empty: no header line");
    await expect(readAll('invoice_number,"amount\n')).rejects.toThrow("the header on line 1 cannot be read");
  });

  it("yields the header first, and reads the columns in any order, extra columns ignored", async () => {
    const items = await readAll(
      "Notes,Total,Item,Service ID,Date,Invoice No\n" +
        "x,$9.99,Cloud VPS (11/01/2026 - 11/30/2026),0030,11/01/2026,#00100234\n",
    );
    expect(items[0]).toMatchObject({ type: "header", lineNumber: 1, ignored: ["Notes"] });
    expect(items[1]).toMatchObject({
      type: "line",
      invoiceNumber: "100234",
      serviceId: "30",
      amountCents: 999n,
      invoiceDate: "2026-11-01",
    });
  });
});

describe("amount", () => {
  it.each([
    ["9.99", 999n],
    ["1234.5", 123450n],
    ["$1,234.50", 123450n],
    ["999,999.99", 99999999n],
    [" 7 ", 700n],
    ["$ 5", 500n],
    ["0.00", 0n],
    ["-12.00", -1200n],
    ["-$12.00", -1200n],
    ["$-12.00", -1200n],
    ["(12.00)", -1200n],
    ["($1,234.56)", -123456n],
    ["-0.00", 0n],
  ])("%s is %s cents", (text, cents) => {
    expect(parseAmountCents(text)).toEqual({ ok: true, value: cents });
  });

  it.each([
    ["12.3.4", 'amount "12.3.4" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["abc", 'amount "abc" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["1e3", 'amount "1e3" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["NaN", 'amount "NaN" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["Infinity", 'amount "Infinity" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["1,23", 'amount "1,23" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    [".5", 'amount ".5" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["5.", 'amount "5." is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["-$-5", 'amount "-$-5" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["(-5)", 'amount "(-5)" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["€5.00", 'amount "€5.00" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    ["12.345", 'amount "12.345" has more than 2 decimals'],
    ["12.3450", 'amount "12.3450" has more than 2 decimals'],
    ["12345678901", 'amount "12345678901" is too large'],
    ["  ", "amount is empty"],
  ])("%s is refused", (text, reason) => {
    expect(parseAmountCents(text)).toEqual({ ok: false, reason });
  });
});

const NO_PERIOD = "period_start and period_end are empty and the description has no (start - end)";

describe("bad lines: each reason, with the line number", () => {
  it.each([
    [{ currency: "EUR" }, "currency EUR is not USD"],
    [{ amount: "12.3.4" }, 'amount "12.3.4" is not an amount such as 1234.50, $1,234.50 or -12.00'],
    [{ amount: "12.345" }, 'amount "12.345" has more than 2 decimals'],
    [{ invoice_date: "02/30/2026" }, "invoice_date 02/30/2026 is not a real date"],
    [{ invoice_date: "Nov 1, 2026" }, 'invoice_date "Nov 1, 2026" is not a date (YYYY-MM-DD or MM/DD/YYYY)'],
    [{ invoice_number: "" }, "invoice_number is empty"],
    [
      { invoice_number: "INV 7" },
      'invoice_number "INV 7" is not an invoice number (up to 64 letters, digits, . _ / -)',
    ],
    [{ description: " " }, "description is empty"],
    [{ service_id: "S-30" }, 'service_id "S-30" is not a number'],
    [
      { service_id: "000", description: "Cloud VPS (11/01/2026 - 11/30/2026)" },
      "a vps line needs a service_id, a relid, an ip or a host name to be matched",
    ],
    [{ ip: "300.1.1.1" }, 'ip "300.1.1.1" is not an IPv4 or IPv6 address'],
    [{ ip: "010.0.0.1" }, 'ip "010.0.0.1" is not an IPv4 or IPv6 address'],
    [{ hostname: "mail 1" }, 'hostname "mail 1" is not a host name'],
    [
      { service_id: "", description: "Cloud VPS (11/01/2026 - 11/30/2026)" },
      "a vps line needs a service_id, a relid, an ip or a host name to be matched",
    ],
    [{ description: "Cloud VPS - Linux 1 CPU" }, `a vps line needs a period: ${NO_PERIOD}`],
    [{ description: "Additional IP Address" }, `an ip line needs a period: ${NO_PERIOD}`],
    [{ period_start: "2026-11-01" }, "period_end is empty but period_start is not"],
    [{ period_end: "2026-11-30" }, "period_start is empty but period_end is not"],
    [
      { period_start: "2026-11-30", period_end: "2026-11-01" },
      "the period ends (2026-11-01) before it starts (2026-11-30)",
    ],
    [{ period_start: "2026-11-01", period_end: "11/31/2026" }, "period_end 11/31/2026 is not a real date"],
    [
      { period_start: "2026-01-01", period_end: "2029-12-31" },
      "the period 2026-01-01 - 2029-12-31 is longer than 36 months",
    ],
    [
      { description: "Cloud VPS (02/30/2026 - 03/29/2026)" },
      "period start in the description 02/30/2026 is not a real date",
    ],
    [
      { description: "Cloud VPS (11/30/2026 - 11/01/2026)" },
      "the period ends (2026-11-01) before it starts (2026-11-30)",
    ],
  ])("%o: %s", async (cells, reason) => {
    const lines = await readLines(row(), row(cells));
    expect(lines[0]?.type).toBe("line");
    expect(lines[1]).toEqual({
      type: "bad",
      lineNumber: 3,
      reason,
      ...("invoice_number" in cells ? {} : { invoiceNumber: "100234" }),
    });
  });

  it("a non-USD line is refused with its own line number, the lines around it are kept", async () => {
    const lines = await readLines(
      row(),
      row({ amount: "4.99" }),
      row({ currency: "eur", amount: "8.00" }),
      row({ currency: "usd" }),
      row({ currency: "" }),
    );
    expect(lines.map((l) => (l.type === "bad" ? `${l.lineNumber}: ${l.reason}` : `${l.lineNumber}: ok`))).toEqual([
      "2: ok",
      "3: ok",
      "4: currency eur is not USD",
      "5: ok",
      "6: ok",
    ]);
  });

  it("a record the CSV reader cannot read, and a wrong number of fields, are bad lines too", async () => {
    const lines = await readLines(
      row(),
      '100234,2026-11-01,30,,,Cloud "VPS",9.99,USD,,',
      "100234,2026-11-01,30",
      row() + ",,",
      row() + ",x",
    );
    expect(lines.map((l) => (l.type === "bad" ? `${l.lineNumber}: ${l.reason}` : `${l.lineNumber}: ok`))).toEqual([
      "2: ok",
      "3: a quote inside unquoted field 6",
      "4: the line has 3 fields, the header has 10",
      "5: ok",
      "6: the line has 11 fields, the header has 10",
    ]);
  });

  it("rows of empty cells are skipped", async () => {
    expect(await readLines(row(), ",,,,,,,,,", "  ,")).toHaveLength(1);
  });
});

describe("valid lines", () => {
  it("takes the period from the description's WHMCS suffix when the period columns are empty", async () => {
    const line = await validLine({
      description: "Cloud VPS - Unmanaged Linux 1 CPU / 2 GB (mail1.example.com) (11/01/2026 - 11/30/2026)",
    });
    expect(line).toMatchObject({
      period: { start: "2026-11-01", end: "2026-11-30", source: "description" },
      hostname: "mail1.example.com",
      hostnameSource: "description",
      kind: "vps",
      monthly: { method: "whole-months", months: 1, monthlyCents: 999n },
    });
    const columns = await validLine({
      period_start: "12/01/2026",
      period_end: "12/31/2026",
      hostname: "Mail1.Example.COM.",
    });
    expect(columns).toMatchObject({
      period: { start: "2026-12-01", end: "2026-12-31", source: "columns" },
      hostname: "mail1.example.com",
      hostnameSource: "column",
    });
  });

  it.each([
    ["Cloud VPS (Mail1.Example.com) (11/01/2026 - 11/30/2026)", "mail1.example.com"],
    ["Server Snapshot (old.example.com) (new.example.org)", "new.example.org"],
    ["Cloud VPS (1 CPU / 2 GB)", undefined],
    ["Cloud VPS plan (v2.0)", undefined],
    ["Storage (2.5)", undefined],
    ["Additional IP (203.0.113.25)", undefined],
  ])("the host name in %s is %s", (description, host) => {
    expect(hostnameFromDescription(withoutPeriodSuffix(description))).toBe(host);
  });

  it("0030 and 30 are the same Hostwinds instance", async () => {
    const lines = await readLines(row({ service_id: "0030" }), row({ service_id: "30" }), row({ service_id: " 030 " }));
    expect(lines.map((l) => l.type === "line" && l.serviceId)).toEqual(["30", "30", "30"]);
  });

  it("invoice numbers: normalised on valid and bad lines alike (lines are numbered by the import)", async () => {
    const file = [
      row({ invoice_number: "A1" }),
      row({ invoice_number: "B2" }),
      row({ invoice_number: "A1", amount: "x" }),
      row({ invoice_number: "#A1" }),
    ];
    const keys = async () => (await readLines(...file)).map((l) => `${l.type}:${l.invoiceNumber ?? "-"}`);
    expect(await keys()).toEqual(["line:A1", "line:B2", "bad:A1", "line:A1"]);
    const numeric = await readLines(row({ invoice_number: "00100234" }), row({ invoice_number: "100234" }));
    expect(numeric.map((l) => l.invoiceNumber)).toEqual(["100234", "100234"]);
  });

  it("a negative amount is a credit; an IP is normalised", async () => {
    const credit = await validLine({
      amount: "-$4.99",
      description: "Service Credit - downtime (11/01/2026 - 11/30/2026)",
    });
    expect(credit).toMatchObject({
      amountCents: -499n,
      isCredit: true,
      kind: "other",
      category: "discount",
      monthly: { monthlyCents: -499n },
    });
    const ip = await validLine({ ip: "2001:DB8:0:0:0:0:0:1", description: "IPv6 Address (11/01/2026 - 11/30/2026)" });
    expect(ip).toMatchObject({ ip: "2001:db8::1", kind: "ip", category: "ip" });
  });

  it("other lines may have no period, nor any service id or IP: they fall in the invoice's month", async () => {
    const line = await validLine({
      service_id: "",
      description: "Server Snapshot - 40 GB",
      amount: "1.00",
      invoice_date: "12/03/2026",
    });
    expect(line).toMatchObject({
      kind: "other",
      category: "snapshot",
      isHourlyOrUsage: true,
      monthly: { method: "one-off", perMonth: [{ month: "2026-12", cents: 100n }] },
    });
    expect(line.period).toBeUndefined();
  });
});

describe("classification", () => {
  it.each([
    ["Cloud VPS - Unmanaged Linux 1 CPU / 2 GB (mail1.example.com) (11/01/2026 - 11/30/2026)", false, "vps"],
    ["Managed Windows VPS", false, "vps"],
    ["Dedicated Server - E3-1270", false, "vps"],
    ["Additional IP Address (mail1.example.com)", true, "ip"],
    ["Dedicated IP", false, "ip"],
    ["IPv4 Address", false, "ip"],
    ["Extra IPs x4 - Cloud VPS", false, "ip"],
    ["Some add-on we have never seen", true, "ip"],
    ["Hourly Cloud VPS Usage - 312 hours", false, "hourly"],
    ["Server Snapshot - 40 GB", false, "snapshot"],
    ["Nightly Backups - Cloud VPS", false, "backup"],
    ["Block Storage Volume 100 GB", false, "block-storage"],
    ["Bandwidth Overage 120 GB", false, "bandwidth"],
    ["Promotion Code: VPS50 - 50% off Cloud VPS", false, "discount"],
    ["Cloud VPS (snapshot.example.com) (11/01/2026 - 11/30/2026)", false, "vps"],
    ["Late Payment Fee", false, "late-fee"],
  ])("%s (ip column: %s) is %s", (description, hasIp, category) => {
    const c = classifyLine(description, hasIp);
    expect(c.category).toBe(category);
    expect(c.kind).toBe(category === "vps" || category === "ip" ? category : "other");
    expect(c.isHourlyOrUsage).toBe(["hourly", "snapshot", "backup", "block-storage", "bandwidth"].includes(category));
  });
});

describe("dates and IPs", () => {
  it("reads YYYY-MM-DD and M/D/YYYY; refuses impossible dates", () => {
    expect(parseDate("2028-02-29")).toEqual({ ok: true, value: { year: 2028, month: 2, day: 29 } });
    expect(parseDate("1/5/2027")).toEqual({ ok: true, value: { year: 2027, month: 1, day: 5 } });
    expect(parseDate("02/29/2027")).toEqual({ ok: false, reason: "date 02/29/2027 is not a real date" });
    expect(parseDate("13/01/2026")).toEqual({ ok: false, reason: "date 13/01/2026 is not a real date" });
    expect(parseDate("2026-11-01T00:00:00Z").ok).toBe(false);
  });

  it.each([
    ["203.0.113.25", "203.0.113.25"],
    [" 10.0.0.1 ", "10.0.0.1"],
    ["2001:0DB8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"],
    ["::ffff:203.0.113.25", "203.0.113.25"],
  ])("%s is written %s", (text, normal) => {
    expect(parseIp(text)).toEqual({ ok: true, value: normal });
  });

  it.each(["fe80::1%eth0", "1.2.3", "1.2.3.4.5", "example.com", ""])("%s is not an IP", (text) => {
    expect(parseIp(text).ok).toBe(false);
  });
});

it("the documented header is the one the tests use", () => {
  expect(HEADER).toBe(
    "invoice_number,invoice_date,service_id,hostname,ip,description,amount,currency,period_start,period_end",
  );
});
