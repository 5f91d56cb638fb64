import { describe, expect, it } from "vitest";
import { HostingPeriods, type FoundPeriod } from "../src/invoices/line-parts.js";

const period = (n: number) => ({ marker: n }) as unknown as FoundPeriod;

describe("HostingPeriods (the bounded cache of Hosting periods)", () => {
  it("finds the latest period of an invoice and service, a newer one replacing an older one", () => {
    const p = new HostingPeriods(4);
    p.remember("INV-1", "101", period(1));
    p.remember("INV-1", "101", period(2));
    p.remember("INV-2", "101", period(3));
    expect(p.of("INV-1", "101")).toEqual(period(2));
    expect(p.of("INV-2", "101")).toEqual(period(3));
    expect(p.of("INV-2", "102")).toBeUndefined();
  });

  it("keeps at least the latest half of its size through many evictions, and forgets older ones", () => {
    const p = new HostingPeriods(10);
    for (let i = 0; i < 10_000; i++) p.remember(`INV-${String(i)}`, "1", period(i));
    for (let i = 10_000 - 5; i < 10_000; i++) expect(p.of(`INV-${String(i)}`, "1")).toEqual(period(i));
    expect(p.of("INV-0", "1")).toBeUndefined();
    expect(p.of(`INV-${String(10_000 - 11)}`, "1")).toBeUndefined();
  });

  it("a period remembered again after its generation aged is the newer one", () => {
    const p = new HostingPeriods(4);
    p.remember("INV-1", "1", period(1));
    p.remember("INV-2", "1", period(2));
    p.remember("INV-3", "1", period(3));
    p.remember("INV-1", "1", period(4));
    expect(p.of("INV-1", "1")).toEqual(period(4));
    expect(p.of("INV-3", "1")).toEqual(period(3));
  });
});
