import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { History } from "../dev/history/model.js";
import type { Db } from "../src/db/client.js";
import { backtest, backtestSeries } from "../src/services/forecast/backtest.js";
import { loadHistory } from "../src/services/forecast/history.js";
import { FORECAST_HISTORY, historyDatabase, type HistoryDatabase } from "./support/history-db.js";

// The backtest applies the known changes that were known before each month it forecasts began
// (docs/forecast.md, "Backtest"): a decommission scheduled (and recorded by the trigger) in August for
// a day in September lowers September's p50 by the VPS's and its IPs' cost; one scheduled in September
// for later in September was not known when September began and changes nothing.

let w: HistoryDatabase;
let c: pg.Client;
let db: Db;
let h: History;
const END = new Date("2026-11-20T10:00:00Z");
const NOW = new Date("2026-11-20T11:00:00Z");

beforeAll(async () => {
  w = await historyDatabase("cs_backtest_known", { ...FORECAST_HISTORY, end: END });
  ({ c, db, h } = w);
});
afterAll(async () => {
  await w.close();
});

/** Schedules `id`'s decommission for `at` now (the trigger records it), as if it had been done `known`. */
async function schedule(id: string, at: string, known: string) {
  await c.query(`UPDATE vps_instances SET decommission_scheduled_for = $2 WHERE id = $1`, [id, at]);
  const r = await c.query(
    `UPDATE vps_decommission_schedule_changes SET changed_at = $3
      WHERE id = (SELECT max(id) FROM vps_decommission_schedule_changes WHERE vps_id = $1 AND new_scheduled_for = $2)`,
    [id, at, known],
  );
  expect(r.rowCount).toBe(1);
  // the decommission happens: the VPS and its IPs cost nothing from then on
  await c.query(
    `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
     SELECT r.resource_kind, r.resource_id, r.cost, 0.00, 'vps decommissioned', 'test', 'decommission', $2
       FROM cost_resources_as_of($2) r WHERE r.vps_id = $1 AND r.cost > 0`,
    [id, at],
  );
}

describe("forecast backtest: known changes", () => {
  it("applies a decommission scheduled before the month began, and not one scheduled during it", async () => {
    const alive = h.vps.filter((v) => v.status === "active" && v.created < new Date("2026-01-01") && v.ips.length > 0);
    const [early, late] = alive;
    if (!early || !late) throw new Error("no VPS alive all year");
    await schedule(early.id, "2026-09-15T12:00:00Z", "2026-08-20T09:00:00Z");
    await schedule(late.id, "2026-09-25T12:00:00Z", "2026-09-10T09:00:00Z");
    const effect = await c.query<{ cents: string }>(
      `SELECT (sum(cost) * 100)::bigint::text AS cents FROM cost_resources_as_of(cost_month_last_instant('2026-08-01'))
        WHERE vps_id = $1`,
      [early.id],
    );
    const cents = BigInt(effect.rows[0]?.cents ?? "0");
    expect(cents).toBeGreaterThan(0n);

    const b = await backtest(db, { months: 12, now: NOW });
    const history = await loadHistory(db, { now: NOW, keep: 24, scope: { scope: "fleet", scopeId: "" } });
    const series = history.series.get("fleet:") ?? [];
    expect(b).toEqual(backtestSeries(history.months, series, 12, new Map([["2026-09", -cents]])));
    const without = backtestSeries(history.months, series, 12);
    const september = (x: typeof b) => x.months.find((m) => m.month === "2026-09");
    expect(BigInt(september(b)?.p50.replace(".", "") ?? "0")).toBe(
      BigInt(september(without)?.p50.replace(".", "") ?? "0") - cents,
    );
    expect(b.months.filter((m) => m.month !== "2026-09")).toEqual(without.months.filter((m) => m.month !== "2026-09"));
  });

  it("every writer's schedule change is recorded, with the time it was made", async () => {
    const v = h.vps.filter((x) => x.status === "active" && x.decommissionScheduledFor === null).at(-1);
    if (!v) throw new Error("no active VPS");
    await c.query(`UPDATE vps_instances SET decommission_scheduled_for = '2027-03-01Z' WHERE id = $1`, [v.id]);
    await c.query(`UPDATE vps_instances SET decommission_scheduled_for = NULL WHERE id = $1`, [v.id]);
    await c.query(`UPDATE vps_instances SET status = status WHERE id = $1`, [v.id]);
    const rows = await c.query(
      `SELECT old_scheduled_for IS NULL AS was_unset, new_scheduled_for IS NULL AS unset, changed_at <= now() AS timed
         FROM vps_decommission_schedule_changes WHERE vps_id = $1 ORDER BY id`,
      [v.id],
    );
    expect(rows.rows).toEqual([
      { was_unset: true, unset: false, timed: true },
      { was_unset: false, unset: true, timed: true },
    ]);
  });
});
