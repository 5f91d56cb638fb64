import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import { forecast, type ScopeForecast } from "../src/services/forecast/forecast-service.js";
import { FORECAST_HISTORY, historyDatabase, type HistoryDatabase } from "./support/history-db.js";

// The forecast of every scope (docs/forecast.md, "Stored fits"): its output is pinned (the snapshot was
// written by the forecast before fits were stored), and the stored fits are fitted again when the
// month-end figures change: a back-dated change inside a month, a month that completes.

let w: HistoryDatabase;
let c: pg.Client;
let db: Db;
const END = new Date("2026-11-20T10:00:00Z");
const NOW = new Date("2026-11-20T11:00:00Z");

beforeAll(async () => {
  w = await historyDatabase("cs_forecast_fits", { ...FORECAST_HISTORY, end: END });
  ({ c, db } = w);
  await c.query(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
});
afterAll(async () => {
  await w.close();
});

/** Each scope's forecast on its own (fitted afresh on its month-end figures). */
const eachOnItsOwn = (all: ScopeForecast[], now: Date) =>
  Promise.all(all.map(async (f) => (await forecast(db, { months: 12, now, scope: f }))[0]));

describe("the forecast of every scope", () => {
  it("gives the figures it gave before fits were stored, to the cent, fitted or read back", async () => {
    const first = await forecast(db, { months: 12, now: NOW });
    await expect(JSON.stringify(first, null, 1)).toMatchFileSnapshot("__snapshots__/forecast-every-scope.json");
    expect(first.length).toBeGreaterThan(15);
    expect(await forecast(db, { months: 12, now: NOW })).toEqual(first);
  });

  it("reads the stored fits, and fits again when a month's figures change or a month completes", async () => {
    const before = await forecast(db, { months: 12, now: NOW });
    expect((await c.query(`SELECT count(*)::int AS n FROM cost_forecast_fits`)).rows[0]).toEqual({ n: before.length }); // prettier-ignore
    // a back-dated change three months ago: a VPS priced 900.00 more from then on
    await c.query(
      `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
       SELECT 'vps', v.id, v.approximate_cost, v.approximate_cost + 900, 'override', 'test', 'back-dated', $1
         FROM vps_instances v WHERE v.approximate_cost > 0 ORDER BY v.id LIMIT 1`,
      [new Date(Date.UTC(2026, 7, 10))],
    );
    const after = await forecast(db, { months: 12, now: NOW });
    const fleet = (fs: ScopeForecast[]) => fs.find((f) => f.scope === "fleet")?.months;
    expect(fleet(after)).not.toEqual(fleet(before));
    expect(after).toEqual(await eachOnItsOwn(after, NOW));
    // December: November completes
    const december = new Date("2026-12-02T09:00:00Z");
    const next = await forecast(db, { months: 12, now: december });
    expect(next.find((f) => f.scope === "fleet")?.historyMonths).toBe(15);
    expect(next).toEqual(await eachOnItsOwn(next, december));
  });
});
