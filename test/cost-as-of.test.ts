import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHistory, type History } from "../dev/history/model.js";
import { writeHistory } from "../dev/history/write.js";
import type { Db } from "../src/db/client.js";
import { costAsOf, monthEndFigures, monthLastInstant, plansAsOf } from "../src/db/month-end/cost-as-of.js";
import { formatCents } from "../src/money.js";
import { openDatabase } from "../src/infrastructure.js";
import { Resources } from "../src/resources.js";
import { expectedAt } from "./support/history-replay.js";
import { AS_OF_HISTORY } from "./support/history-db.js";
import { createMigratedDatabase, type TestDatabase } from "./support/pg.js";

// Cost as of any instant (docs/forecast.md): on a generated history with growth, a price change,
// tenants joining and leaving, shared VPS, an override and scheduled decommissions, the figures
// rebuilt from cost_history equal, to the cent, those replayed from the generator's own events.

let test: TestDatabase;
let db: Db;
let c: pg.Client;
let h: History;
const res = new Resources();
// an hour ago: the whole generated history lies in the past, as cost_history always does
const END = new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  test = await createMigratedDatabase("cs_asof");
  ({ db } = openDatabase(res, test.url, { poolSize: 2 }));
  c = new pg.Client({ connectionString: test.url });
  await c.connect();
  h = generateHistory({ ...AS_OF_HISTORY, end: END });
  await writeHistory(c, h);
});
afterAll(async () => {
  await c.end();
  await res.close();
  await test.drop();
});

function asRecord(e: ReturnType<typeof expectedAt>) {
  return Object.fromEntries(
    [...e.byTenant]
      .filter(([, [v, i]]) => v + i > 0n)
      .map(([k, [v, i]]) => [k, { vps: formatCents(v), ip: formatCents(i) }]),
  );
}

describe("costAsOf / monthEndFigures", () => {
  it("the generated history has what the test needs", () => {
    expect(h.tenants.some((t) => t.left !== null)).toBe(true);
    expect(h.tenants.some((t) => t.joined > h.start)).toBe(true);
    expect(h.vps.some((v) => v.status === "scheduled_decommission")).toBe(true);
    expect(h.vps.some((v) => v.overrideCents !== null)).toBe(true);
    expect(h.assignments.some((a) => a.expires !== null)).toBe(true);
  });

  it("gives every tenant's and the fleet's cost at each month end, exact to the cent", async () => {
    for (let m = 0; m < h.config.months; m++) {
      const month = new Date(Date.UTC(h.start.getUTCFullYear(), h.start.getUTCMonth() + m, 1))
        .toISOString()
        .slice(0, 7);
      const got = await monthEndFigures(db, month);
      const want = expectedAt(h, new Date(monthLastInstant(month)));
      const rows: Record<string, { vps: string; ip: string }> = {};
      for (const t of got.tenants) if (t.totalCost !== "0.00") rows[t.tenantId] = { vps: t.vpsCost, ip: t.ipCost };
      if (got.fleet.unallocatedCost !== "0.00") rows.unallocated = { vps: got.fleet.unallocatedVpsCost, ip: got.fleet.unallocatedIpCost }; // prettier-ignore
      expect({ month, rows }).toEqual({ month, rows: asRecord(want) });
      expect(got.fleet.totalCost).toBe(formatCents(want.fleetCents));
    }
  });

  it("takes a change made at the month's last microsecond, and not one made at the next month's first", async () => {
    const v = h.vps.find((x) => x.status === "active" && x.tenantId !== null && x.overrideCents === null);
    if (!v) throw new Error("no live dedicated VPS");
    const month = "2026-10";
    const before = await monthEndFigures(db, month);
    await c.query(
      `INSERT INTO cost_history (resource_kind, resource_id, old_value, new_value, source, reason, job_id, changed_at)
       VALUES ('vps', $1, NULL, 1000.00, 'test', 'edge', 'edge-in', '2026-10-31T23:59:59.999999Z'),
              ('vps', $1, 1000.00, 2000.00, 'test', 'edge', 'edge-out', '2026-11-01T00:00:00Z')`,
      [v.id],
    );
    try {
      const after = await monthEndFigures(db, month);
      const row = (f: typeof after) => f.tenants.find((t) => t.tenantId === v.tenantId)?.vpsCost ?? "0.00";
      const was = (before.tenants.find((t) => t.tenantId === v.tenantId)?.vpsCost ?? "0.00").replace(".", "");
      const own = h.vps.find((x) => x.id === v.id)?.changes ?? [];
      const ownBefore = own.filter((x) => x.at <= new Date("2026-10-31T23:59:59.999Z")).pop()?.cents ?? 0n;
      expect(row(after)).toBe(formatCents(BigInt(was) - ownBefore + 100_000n));
    } finally {
      await c.query(`DELETE FROM cost_history WHERE job_id IN ('edge-in', 'edge-out')`);
    }
  });

  it("now: equals the live attribution (cost_attribution_by_tenant) row for row", async () => {
    await c.query(`REFRESH MATERIALIZED VIEW cost_attribution_by_tenant`);
    const live = await c.query<{ k: string; vps: string; ip: string }>(
      `SELECT COALESCE(tenant_id::text, 'unallocated') AS k, vps_cost::text AS vps, ip_cost::text AS ip FROM cost_attribution_by_tenant`,
    );
    const now = await costAsOf(db, new Date());
    const got: Record<string, { vps: string; ip: string }> = {};
    for (const t of now.tenants) got[t.tenantId] = { vps: t.vpsCost, ip: t.ipCost };
    if (now.fleet.unallocatedCost !== "0.00") got.unallocated = { vps: now.fleet.unallocatedVpsCost, ip: now.fleet.unallocatedIpCost }; // prettier-ignore
    expect(got).toEqual(Object.fromEntries(live.rows.map((r) => [r.k, { vps: r.vps, ip: r.ip }])));
  });

  it("before the history starts, nothing costs anything", async () => {
    const early = await costAsOf(db, new Date(h.start.getTime() - 86_400_000));
    expect(early.fleet.totalCost).toBe("0.00");
    expect(early.tenants).toEqual([]);
  });

  it("per plan: rid 11's VPS cost moves from 20.00 to 22.00 each at the price change, the override keeps its plan", async () => {
    const pc = h.priceChange;
    const plan = async (at: Date) => (await plansAsOf(db, at)).find((p) => p.planRid === pc.rid);
    const just = new Date(pc.at.getTime() - 1);
    const alive = (at: Date) =>
      h.vps.filter((v) => v.rid === pc.rid).reduce((sum, v) => sum + (v.changes.filter((x) => x.at <= at).pop()?.cents ?? 0n), 0n); // prettier-ignore
    expect((await plan(just))?.vpsCost).toBe(formatCents(alive(just)));
    expect((await plan(pc.at))?.vpsCost).toBe(formatCents(alive(pc.at)));
    expect(alive(pc.at)).not.toBe(alive(just));
  });
});
