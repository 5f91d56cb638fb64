import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseDate, type CalendarDate, type Period } from "../src/invoices/dates.js";
import { monthlyEquivalent, splitEvenly, wholeMonths } from "../src/invoices/monthly-equivalent.js";
import { readInvoiceFile } from "../src/invoices/read-invoice-file.js";
import { formatInvoiceSummary, InvoiceSummary } from "../src/invoices/summary.js";
import { toCentsHalfUp } from "../src/money.js";
import { HEADER, readLines, row, validLine } from "./support/invoice-csv.js";

function date(text: string): CalendarDate {
  const d = parseDate(text);
  if (!d.ok) throw new Error(d.reason);
  return d.value;
}
const period = (start: string, end: string): Period => ({ start: date(start), end: date(end) });
const NOV = date("2026-11-01");

describe("whole months", () => {
  it.each([
    ["2026-11-01", "2026-11-30", 1],
    ["2026-11-15", "2026-12-14", 1],
    ["2026-11-01", "2027-01-31", 3],
    ["2026-11-01", "2027-10-31", 12],
    ["2026-11-01", "2029-10-31", 36],
    ["2027-01-31", "2027-02-27", 1], // 01/31 + 1 month is 02/28 (clamped)
    ["2027-02-28", "2027-03-30", 1], // an anniversary on the 31st, continued from February's last day
    ["2028-02-01", "2028-02-29", 1],
  ])("%s - %s is %i months", (start, end, n) => {
    expect(wholeMonths(period(start, end))).toBe(n);
  });

  it.each([
    ["2026-11-20", "2026-11-30"],
    ["2026-11-01", "2026-11-29"],
    ["2026-11-15", "2026-12-15"],
    ["2027-01-31", "2027-02-28"],
    ["2026-11-30", "2026-11-30"],
  ])("%s - %s is not whole months", (start, end) => {
    expect(wholeMonths(period(start, end))).toBeUndefined();
  });
});

describe("monthly equivalent", () => {
  it("a quarterly line: amount / 3 half-up once, and 3 monthly figures adding up to the amount exactly", async () => {
    const line = await validLine({
      amount: "50.00",
      period_start: "11/01/2026",
      period_end: "01/31/2027",
      description: "Cloud VPS - quarterly",
    });
    expect(line.monthly).toEqual({
      method: "whole-months",
      months: 3,
      days: 92,
      monthlyCents: 1667n,
      perMonth: [
        { month: "2026-11", cents: 1667n },
        { month: "2026-12", cents: 1667n },
        { month: "2027-01", cents: 1666n },
      ],
    });
    const odd = monthlyEquivalent({ amountCents: 2995n, period: period("2026-11-15", "2027-02-14"), invoiceDate: NOV });
    expect(odd.monthlyCents).toBe(998n); // 9.98333...
    expect(odd.perMonth).toEqual([
      { month: "2026-11", cents: 999n }, // the leftover cent goes to the earliest month
      { month: "2026-12", cents: 998n },
      { month: "2027-01", cents: 998n },
    ]);
  });

  it("every cycle, many amounts: figures add up, within a cent of the monthly figure (the model's rounding)", () => {
    for (const n of [1, 3, 6, 12, 24, 36]) {
      for (let cents = -5000n; cents <= 100_000n; cents += 97n) {
        const figures = splitEvenly(cents, n);
        expect(figures.reduce((a, b) => a + b, 0n)).toBe(cents);
        const monthly = monthlyEquivalent({
          amountCents: cents,
          period: { start: NOV, end: addMonthsMinusDay(NOV, n) },
          invoiceDate: NOV,
        });
        const magnitude = toCentsHalfUp({ units: cents < 0n ? -cents : cents, scale: 2 }, BigInt(n));
        expect(monthly.monthlyCents).toBe(cents < 0n ? -magnitude : magnitude);
        expect(
          monthly.perMonth.every((m) => m.cents - monthly.monthlyCents <= 1n && monthly.monthlyCents - m.cents <= 1n),
        ).toBe(true);
        expect(monthly.perMonth.reduce((a, m) => a + m.cents, 0n)).toBe(cents);
      }
    }
  });

  it("any other period is prorated by days to an average month: amount × 1461 / (48 × days), half-up once", () => {
    // 3.30 for 11 days: 330 × 1461 / 528 = 913.125 cents
    const part = monthlyEquivalent({ amountCents: 330n, period: period("2026-11-20", "2026-11-30"), invoiceDate: NOV });
    expect(part).toEqual({
      method: "days",
      days: 11,
      monthlyCents: 913n,
      perMonth: [{ month: "2026-11", cents: 913n }],
    });
    // 10.00 for 16 days: 1000 × 1461 / 768 = 1902.34 cents, in the start month only
    const crossing = monthlyEquivalent({
      amountCents: 1000n,
      period: period("2026-11-20", "2026-12-05"),
      invoiceDate: NOV,
    });
    expect(crossing.perMonth).toEqual([{ month: "2026-11", cents: 1902n }]);
    // 73 days hold 2.4 average months: the monthly figure applies to two months
    const long = monthlyEquivalent({
      amountCents: 7300n,
      period: period("2026-11-20", "2027-01-31"),
      invoiceDate: NOV,
    });
    expect(long).toMatchObject({ method: "days", days: 73, monthlyCents: 3044n }); // 7300 × 1461 / 3504 = 3043.75
    expect(long.perMonth.map((m) => m.month)).toEqual(["2026-11", "2026-12"]);
  });

  it("rounds half-up, and a credit as the mirror of its charge", () => {
    // 0.01 / 2 = 0.005 -> 0.01; 0.03 over 2 months: 0.02 + 0.01
    const half = { period: period("2026-11-01", "2026-12-31"), invoiceDate: NOV };
    expect(monthlyEquivalent({ amountCents: 1n, ...half }).monthlyCents).toBe(1n);
    expect(monthlyEquivalent({ amountCents: -1n, ...half }).monthlyCents).toBe(-1n);
    expect(monthlyEquivalent({ amountCents: 3n, ...half }).perMonth.map((m) => m.cents)).toEqual([2n, 1n]);
    expect(monthlyEquivalent({ amountCents: -3n, ...half }).perMonth.map((m) => m.cents)).toEqual([-2n, -1n]);
    const days = { period: period("2026-11-20", "2026-11-30"), invoiceDate: NOV };
    expect(monthlyEquivalent({ amountCents: -330n, ...days }).monthlyCents).toBe(-913n);
  });

  it("a year for 1,000.00 (docs/invoices.md): 83.33 a month, the 4 leftover cents in the first 4 months", () => {
    const year = monthlyEquivalent({
      amountCents: 100_000n,
      period: period("11/01/2026", "10/31/2027"),
      invoiceDate: NOV,
    });
    expect(year.monthlyCents).toBe(8333n);
    expect(year.perMonth.map((m) => `${m.month} ${m.cents}`)).toEqual([
      "2026-11 8334",
      "2026-12 8334",
      "2027-01 8334",
      "2027-02 8334",
      "2027-03 8333",
      "2027-04 8333",
      "2027-05 8333",
      "2027-06 8333",
      "2027-07 8333",
      "2027-08 8333",
      "2027-09 8333",
      "2027-10 8333",
    ]);
  });

  it("a line without a period is one-off, in its invoice's month", () => {
    expect(monthlyEquivalent({ amountCents: 123n, invoiceDate: date("12/31/2026") })).toEqual({
      method: "one-off",
      monthlyCents: 123n,
      perMonth: [{ month: "2026-12", cents: 123n }],
    });
  });
});

function addMonthsMinusDay(start: CalendarDate, n: number): CalendarDate {
  const index = start.year * 12 + start.month - 1 + n;
  const next = Date.UTC(Math.floor(index / 12), index % 12, start.day) - 86_400_000;
  const d = new Date(next);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

describe("summary", () => {
  it("the documented template reads without a bad line, and sums per kind, category and month", async () => {
    const summary = new InvoiceSummary();
    for await (const item of readInvoiceFile(
      createReadStream(new URL("../docs/invoices-template.csv", import.meta.url)),
    ))
      summary.add(item);
    expect(summary.badLines).toBe(0);
    expect(summary.header?.fieldCount).toBe(10);
    expect(summary.lines).toBeGreaterThanOrEqual(5);
    for (const kind of ["vps", "ip", "other"] as const) expect(summary.byKind[kind].lines).toBeGreaterThan(0);
    for (const category of ["hourly", "snapshot"] as const)
      expect(summary.byCategory[category].lines).toBeGreaterThan(0);
    const invoiced = [...summary.invoicedByMonth.values()].reduce((a, b) => a + b, 0n);
    expect(invoiced).toBe(summary.totalCents);
    expect(formatInvoiceSummary(summary)[0]).toMatch(/^\d+ valid lines, 0 bad lines; invoiced \d+\.\d\d USD$/);
  });

  it("counts lines, credits and bad lines, keeping the first reasons only", async () => {
    const summary = new InvoiceSummary({ keepBadLines: 1 });
    const lines = await readLines(
      row({
        amount: "30.00",
        period_start: "2026-11-01",
        period_end: "2027-01-31",
        description: "Cloud VPS quarterly",
      }),
      row({ amount: "-5.00", description: "Promotion Code: VPS5 (11/01/2026 - 11/30/2026)" }),
      row({ currency: "GBP" }),
      row({ amount: "x" }),
    );
    lines.forEach((l) => summary.add(l));
    expect([summary.lines, summary.badLines, summary.invoices]).toEqual([2, 2, undefined]); // counted by the import
    expect(summary.bad).toEqual([
      { type: "bad", lineNumber: 4, reason: "currency GBP is not USD", invoiceNumber: "100234" },
    ]);
    expect(summary.credits).toEqual({ lines: 1, cents: -500n });
    expect(summary.byKind).toEqual({
      vps: { lines: 1, cents: 3000n },
      ip: { lines: 0, cents: 0n },
      other: { lines: 1, cents: -500n },
    });
    expect([...summary.monthly]).toEqual([
      ["2026-11", { vps: 1000n, ip: 0n, other: -500n }],
      ["2026-12", { vps: 1000n, ip: 0n, other: 0n }],
      ["2027-01", { vps: 1000n, ip: 0n, other: 0n }],
    ]);
    const text = formatInvoiceSummary(summary);
    expect(text).toContain("bad lines (first 1 of 2):");
    expect(text).toContain("  line 4: currency GBP is not USD");
    expect(text).toContain("credits: 1 lines, -5.00 USD");
  });

  it("200,000 generated lines stream through validation into exact totals", async () => {
    const LINES = 200_000;
    function* generate(): Generator<string> {
      yield HEADER + "\r\n";
      for (let start = 0; start < LINES; start += 500) {
        let piece = "";
        for (let i = start; i < start + 500; i++) {
          // Each invoice has 4 lines: a monthly VPS, a quarterly VPS, an IP, a snapshot.
          const cells = [
            { amount: "9.99" },
            {
              amount: "$1,000.00",
              period_start: "2026-11-01",
              period_end: "2027-01-31",
              description: "Cloud VPS, quarterly",
            },
            {
              amount: "4.99",
              ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
              description: "Additional IP (11/01/2026 - 11/30/2026)",
            },
            { amount: "0.01", description: "Snapshot" },
          ][i % 4];
          piece += row({ ...cells, invoice_number: String(1 + Math.floor(i / 4)), service_id: String(i + 1) }) + "\r\n";
        }
        yield piece;
      }
    }
    const summary = new InvoiceSummary();
    for await (const item of readInvoiceFile(Readable.from(generate()))) summary.add(item);
    const q = BigInt(LINES / 4);
    expect(summary.bad).toEqual([]);
    expect(summary.lines).toBe(LINES);
    expect(summary.byKind.vps).toEqual({ lines: 2 * (LINES / 4), cents: q * (999n + 100_000n) });
    expect(summary.byKind.ip.cents).toBe(q * 499n);
    // 1000.00 / 3 is 333.34, 333.33, 333.33: the leftover cent in the first month
    expect(summary.monthly.get("2026-11")).toEqual({ vps: q * (999n + 33_334n), ip: q * 499n, other: q * 1n });
    expect(summary.monthly.get("2026-12")).toEqual({ vps: q * 33_333n, ip: 0n, other: 0n });
    expect(summary.monthly.get("2027-01")).toEqual({ vps: q * 33_333n, ip: 0n, other: 0n });
  });
});
