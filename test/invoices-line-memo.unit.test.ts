import { describe, expect, it } from "vitest";
import { CACHE_MAX, LineMemo } from "../src/invoices/line-memo.js";
import { readLines, row } from "./support/invoice-csv.js";

describe("the validator's readings kept per description and per amount and period", () => {
  it("give every line what reading it alone gives, whatever lines came before", async () => {
    const lines = [
      row({ service_id: "1" }),
      row({ service_id: "2", amount: "19.98", period_start: "2026-11-01", period_end: "2027-01-31" }),
      row({ service_id: "3", description: "Cloud VPS - db1.example.com (15/11/2026 - 14/12/2026)", amount: "10.00" }),
      row({ service_id: "4", ip: "203.0.113.9", description: "Additional IP Address (11/01/2026 - 11/30/2026)" }),
      row({ service_id: "", description: "Late Fee", amount: "5.00" }),
    ];
    // The same lines again, after every other one: their second readings come from the caches.
    const together = await readLines(...lines, ...lines);
    const alone = await Promise.all(lines.map(async (l) => (await readLines(l))[0]));
    const strip = (x: unknown) => ({ ...(x as object), lineNumber: 0 });
    expect(together.map(strip)).toEqual([...alone, ...alone].map(strip));
    // A day-first date is a bad line in a month-first file, cached readings or not.
    expect(together[2]).toMatchObject({ type: "bad" });
    expect(together[7]).toMatchObject({ type: "bad" });
  });

  it("stay bounded whatever the file holds", () => {
    const memo = new LineMemo();
    for (let i = 0; i < 3 * CACHE_MAX; i++) {
      const d = `Cloud VPS - host${String(i)}.example.com (11/01/2026 - 11/30/2026)`;
      expect(memo.described(d).host(d)).toMatchObject({ host: `host${String(i)}.example.com` });
      memo.monthlyOf({
        amountCents: BigInt(i),
        period: undefined,
        dates: undefined,
        invoiceDate: { year: 2026, month: 11, day: 1 },
        invoiceDay: "2026-11-01",
      });
    }
    expect(memo.size).toBeLessThanOrEqual(2 * CACHE_MAX);
  });
});
