import { describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { refreshSavings } from "../src/services/savings/refresh.js";
import { decommissionedInvoice, savingsWorld } from "./support/savings-world.js";

// A refresh holds one batch of opportunities at a time, never the fleet's (docs/savings.md,
// "Performance"): the SQL kinds are staged and recorded in PostgreSQL, the billing cycles judged a
// batch at a time. Batches of one record exactly what one batch for the whole fleet records.

const world = savingsWorld();
const { h } = world;

/** `db`, with every row its reads return (in its transactions too) kept in `reads`, one array per read. */
function recording(db: Db): { db: Db; reads: Record<string, unknown>[][] } {
  const reads: Record<string, unknown>[][] = [];
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        if (key === "$queryRawUnsafe")
          return async (...args: unknown[]) => {
            const rows = await (t as Db).$queryRawUnsafe<Record<string, unknown>[]>(...(args as [string]));
            reads.push(rows);
            return rows;
          };
        if (key === "$transaction")
          return (fn: (tx: object) => Promise<unknown>, o: unknown) =>
            (t as Db).$transaction((tx) => fn(wrap(tx)), o as never);
        const v: unknown = Reflect.get(t, key, t);
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
  return { db: wrap(db), reads };
}

const stored = () =>
  h.sql(
    `SELECT id, kind, vps_id, ip_id, serviceid, ip, tenant_id, monthly_saving::text, upfront::text,
            break_even_months::text, method, evidence, facts_hash, state, current
       FROM cost_savings_opportunities ORDER BY id`,
  );

describe("savings refresh in batches", () => {
  it("records in batches of one what one batch records, and reads no opportunity's figures", async () => {
    await world.build();
    await world.reconcile();
    const month = new Date().toISOString().slice(0, 7);
    expect((await world.importInvoice(decommissionedInvoice(month))).code).toBe(0); // its refresh: one batch
    const whole = await stored();
    expect(new Set(whole.map((r) => r.kind)).size).toBe(5);
    expect(whole.filter((r) => r.kind === "billing_cycle").length).toBeGreaterThan(1);

    await h.sql(`DELETE FROM cost_savings_opportunities`);
    const { db, reads } = recording(world.rt.db);
    const r = await refreshSavings({ db, idleDays: 14, operator: "finance-lead", concurrency: 1, batch: 1 }, "test");

    expect(r.opportunities).toBe(whole.length);
    expect(await stored()).toEqual(whole);
    // Nothing the refresh read holds an opportunity's evidence, and each read of the cycle candidates is one batch.
    expect(reads.flat().filter((row) => "evidence" in row)).toEqual([]);
    expect(reads.filter((rows) => rows.some((row) => "vpsId" in row)).map((rows) => rows.length)).toEqual(
      expect.arrayContaining([1]),
    );
    expect(Math.max(...reads.filter((rows) => rows.some((row) => "vpsId" in row)).map((rows) => rows.length))).toBe(1);
  }, 120_000);
});
