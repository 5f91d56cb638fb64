import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshAttribution } from "../src/db/writes/attribution.js";
import { setOverride } from "../src/db/writes/overrides.js";
import { setIpConstant } from "../src/db/writes/settings.js";
import { formatCents, parseUsdCents } from "../src/money.js";
import type { Runtime } from "../src/runtime.js";
import { Harness, insertVps, settle } from "./support/harness.js";

// The three writers at once — syncs, reconciliations, and Finance's commands (with the application
// moving statuses) — in a seeded random order, then the invariants. A failure prints its seed; run
// it again with INTERLEAVING_SEED=<seed>.

const SEED = Number(process.env.INTERLEAVING_SEED ?? String(Date.now() % 1_000_000));
let state = SEED;
/** A small deterministic generator (LCG), so that a seed replays the same run. */
const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** What a fresh sync writes for each plan and cycle of the simulator's default catalogue. */
const PRICE: Record<string, string> = {
  "10/monthly": "9.99",
  "10/quarterly": "9.99",
  "11/monthly": "19.99",
  "11/quarterly": "3.33",
  "12/monthly": "39.99",
  "12/quarterly": "39.99",
};

const h = new Harness();
let rt: Runtime;
const fleet: { vpsId: string; ipIds: string[]; plan: string }[] = [];

beforeAll(async () => {
  await h.setup({ RECONCILE_CHUNK_SIZE: "2", WORKER_CONCURRENCY: "6" });
  rt = await h.start();
  for (let i = 0; i < 4; i++) {
    const rid = ["10", "11", "12"][i % 3] ?? "10";
    const cycle = i % 2 === 0 ? "monthly" : "quarterly";
    h.sim.catalogue.setInstance({ serviceid: 9000 + i, rid, billingcycle: cycle });
    const { vpsId, ipIds } = await insertVps(h, { serviceid: 9000 + i, ips: 2 });
    fleet.push({ vpsId, ipIds, plan: `${rid}/${cycle}` });
  }
  await settle(h, rt);
  // Slow enough answers that writers overlap: every step lands while others are mid-flight.
  h.sim.latencyMs = 300;
});
afterAll(() => h.teardown());

const cents = (min: number, max: number) => BigInt(min + Math.floor(random() * (max - min)));
const write = (reason: string) => ({ jobId: `interleaving-${String(SEED)}`, reason });

/** One random step of one of the writers. */
async function step(): Promise<void> {
  const vps = pick(fleet);
  const r = random();
  if (r < 0.25) await rt.producer.enqueueVpsCostSync(vps.vpsId, { reason: "manual re-sync", dedupe: false });
  else if (r < 0.4) await rt.producer.enqueueReconciliation({ trigger: "manual" });
  else if (r < 0.52)
    await setOverride(rt.db, { kind: "vps", id: vps.vpsId, cents: cents(100, 9999), write: write("contract") });
  else if (r < 0.62) {
    await setOverride(rt.db, { kind: "vps", id: vps.vpsId, cents: null, write: write("contract ended") });
    await rt.producer.enqueueVpsCostSync(vps.vpsId, { reason: "override cleared" });
  } else if (r < 0.72) {
    const ipId = pick(vps.ipIds);
    const set = random() < 0.5;
    await setOverride(rt.db, { kind: "ip", id: ipId, cents: set ? cents(50, 900) : null, write: write("ip contract") });
    if (!set) await rt.producer.enqueueIpCostSync(ipId, { reason: "override cleared" });
  } else if (r < 0.82) {
    await setIpConstant(rt.db, cents(400, 600), "interleaving");
    await rt.producer.enqueueIpConstantChanged({ reason: "constant changed" });
  } else {
    await h.sql(
      `UPDATE vps_instances SET status = CASE status WHEN 'decommissioned' THEN 'active' ELSE 'decommissioned' END WHERE id = $1`,
      [vps.vpsId],
    );
  }
  await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 40)));
}

/** The invariants, after the world has settled. */
async function checkInvariants(why: string): Promise<void> {
  const [constant] = await h.sql<{ v: string }>(
    `SELECT value #>> '{}' AS v FROM system_config WHERE key = 'cost_sync.smtp_ip_monthly_cost_usd'`,
  );
  const vpsRows = await h.sql<{ id: string; cost: string; override: string | null; status: string }>(
    `SELECT id::text, approximate_cost::text AS cost, approximate_cost_override::text AS override, status FROM vps_instances`,
  );
  for (const v of vpsRows) {
    const plan = fleet.find((f) => f.vpsId === v.id)?.plan ?? "";
    const expected = v.override ?? (v.status === "decommissioned" ? "0.00" : PRICE[plan]);
    expect(v.cost, `${why}: VPS ${v.id}`).toBe(expected);
  }
  const ipRows = await h.sql<{ id: string; cost: string; override: string | null; vps_status: string }>(
    `SELECT i.id::text, i.approximate_cost::text AS cost, i.approximate_cost_override::text AS override, v.status AS vps_status
       FROM smtp_ip_addresses i JOIN vps_instances v ON v.id = i.vps_instance_id`,
  );
  const constantCost = formatCents(parseUsdCents(constant?.v ?? "") ?? -1n);
  for (const ip of ipRows) {
    const expected = ip.override ?? (ip.vps_status === "decommissioned" ? "0.00" : constantCost);
    expect(ip.cost, `${why}: IP ${ip.id}`).toBe(expected);
  }
  // Every change's old value is the previous change's new value, and the last one is the cost now.
  const history = await h.sql<{ id: string; old: string | null; new: string }>(
    `SELECT resource_id::text AS id, old_value::text AS old, new_value::text AS new FROM cost_history h ORDER BY h.id`,
  );
  const costs = new Map([...vpsRows, ...ipRows].map((row) => [row.id, row.cost]));
  const last = new Map<string, string>();
  for (const row of history) {
    expect(row.old, `${why}: history of ${row.id}`).toBe(last.get(row.id) ?? "0.00");
    last.set(row.id, row.new);
  }
  for (const [id, cost] of last) expect(cost, `${why}: last change of ${id}`).toBe(costs.get(id));
  // attributed + unallocated = total, to the cent.
  await refreshAttribution(rt.db);
  const [sums] = await h.sql<{ attributed: string; total: string }>(
    `SELECT (SELECT sum(vps_cost + ip_cost) FROM cost_attribution_by_tenant)::text AS attributed,
            ((SELECT sum(approximate_cost) FROM vps_instances) + (SELECT sum(approximate_cost) FROM smtp_ip_addresses))::text AS total`,
  );
  expect(sums?.attributed, why).toBe(sums?.total);
}

describe(`sync, reconciliation and Finance interleaved at random (seed ${String(SEED)})`, () => {
  it("leave every cost as a fresh sync would write it, an unbroken history, and the attribution adding up", async () => {
    // Three rounds, each checked once settled: a stale write late in a round has no later write to hide it.
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 30; i++) await step();
      await settle(h, rt, 90_000);
      await checkInvariants(`seed ${String(SEED)}, round ${String(round)}`);
    }
  });
});
