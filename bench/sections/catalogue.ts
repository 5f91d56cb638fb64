import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { BenchContext, WorkerContext } from "../context.js";
import { ms, percentile } from "../measure.js";
import { startWorker } from "./worker.js";

/**
 * 5. Catalogue pricing (docs/decisions.md): the same fleet priced per instance, and priced from
 * the catalogue under Hostwinds' real budget (HOSTWINDS_REQUESTS_PER_SECOND=2, 150 ms per call),
 * with creation events arriving while it runs.
 */

/** A run's figures, from its row. */
interface RunRow {
  checked: number;
  calls: number;
  list: number;
  learn: number;
  verify: number;
  fallback: number;
  mismatches: number;
}

const RUN = `SELECT vps_checked AS checked, hostwinds_calls AS calls, calls_list AS list, calls_learn AS learn,
                    calls_verify AS verify, calls_fallback AS fallback,
                    (SELECT count(*)::int FROM cost_catalogue_mismatches m WHERE m.run_id = r.id) AS mismatches
               FROM cost_reconciliation_runs r WHERE id = $1`;

async function reconcile(ctx: WorkerContext): Promise<{ wallMs: number; run: RunRow }> {
  const t0 = performance.now();
  const job = await ctx.producer.enqueueReconciliation({ trigger: "manual" });
  const result = (await job.waitUntilFinished(ctx.queueEvents, 60 * 60_000)) as { runId: string };
  const wallMs = performance.now() - t0;
  const [run] = (await ctx.c.query<RunRow>(RUN, [result.runId])).rows;
  if (!run) throw new Error(`run ${result.runId} has no row`);
  return { wallMs, run };
}

/** VPS whose cost differs from the snapshot `table` took of them, either way (changed, or priced in one only). */
async function differences(c: pg.Client, table: string): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM vps_instances v FULL JOIN ${table} s USING (id)
      WHERE v.approximate_cost IS DISTINCT FROM s.cost`,
  );
  return rows[0]?.n ?? NaN;
}

/**
 * 5a. Per-instance pricing, unbudgeted: every member of every group verified one by one
 * (HOSTWINDS_VERIFY_SAMPLE_PERCENT=100), i.e. one get_price_list(serviceid) per VPS as before
 * catalogue pricing, each compared with the catalogue's price. Its mismatches, and the costs it
 * leaves against those catalogue pricing wrote in section 1, are the differences between the two.
 */
export async function perInstanceSection(ctx: BenchContext, catalogueMs: number): Promise<void> {
  const { c, report, scale } = ctx;
  const section = "5a per-instance";
  report.log("5a. the same fleet priced per instance (every VPS verified), unbudgeted, worker heap 512 MB");
  await c.query(`DROP TABLE IF EXISTS bench_catalogue_costs`);
  await c.query(`CREATE TABLE bench_catalogue_costs AS SELECT id, approximate_cost AS cost FROM vps_instances`);
  // Verifying every member keeps every instance's own price for the walk (100k answers at full scale):
  // more than the production heap of 128 MB, which holds a 1 % sample's. This reference run gets 512 MB.
  const worker = await startWorker(ctx, {
    HOSTWINDS_VERIFY_SAMPLE_PERCENT: "100",
    NODE_OPTIONS: "--max-old-space-size=512 --max-semi-space-size=2",
  });
  try {
    const { wallMs, run } = await reconcile(worker.ctx);
    report.add({ section, metric: `wall time, ${scale.vps} VPS, per instance`, value: ms(wallMs) });
    report.add({
      section,
      metric: "catalogue ÷ per-instance wall time (section 1 ÷ this), unbudgeted",
      value: (catalogueMs / wallMs).toFixed(2),
      target: "≤ 1.00 (catalogue pricing not slower)",
      met: catalogueMs <= wallMs,
    });
    report.add({
      section,
      metric: "Hostwinds calls per VPS, per instance",
      value: (run.calls / run.checked).toFixed(3),
    });
    const diff = (await differences(c, "bench_catalogue_costs")) + run.mismatches;
    report.add({
      section,
      metric: "VPS priced differently, catalogue vs per instance (mismatches + changed costs)",
      value: String(diff),
      target: "0",
      met: diff === 0,
    });
  } finally {
    await worker.stop();
    await c.query(`DROP TABLE IF EXISTS bench_catalogue_costs`);
  }
}

/** 5b. The whole fleet at Hostwinds' budget, with creation events arriving one every 2 s meanwhile. */
export async function budgetedSection(ctx: BenchContext): Promise<void> {
  const { c, report, sim } = ctx;
  const section = "5b budgeted";
  const rps = 2;
  report.log(`5b. reconciliation at HOSTWINDS_REQUESTS_PER_SECOND=${rps}, 150 ms per call, events meanwhile`);
  const worker = await startWorker(ctx, { HOSTWINDS_REQUESTS_PER_SECOND: String(rps) });
  sim.latencyMs = 150;
  try {
    const firstSid = 10_000_000;
    const running = reconcile(worker.ctx);
    let done = false;
    void running.finally(() => (done = true)).catch(() => undefined);
    const inserted = await insertEvery(c, sim, { firstSid, everyMs: 2_000, until: () => done });
    const { wallMs, run } = await running;
    reportBudgeted(ctx, { wallMs, run, rps });
    await untilSynced(c, firstSid, inserted);
    const lat = await latencies(c, firstSid);
    report.add({
      section,
      metric: `INSERT -> cost written during the run, p50 (${lat.length} events)`,
      value: ms(percentile(lat, 50)),
    });
    report.add({
      section,
      metric: "INSERT -> cost written during the run, p95",
      value: ms(percentile(lat, 95)),
      target: "≤ 5000 ms",
      met: percentile(lat, 95) <= 5000,
    });
  } finally {
    sim.latencyMs = 0;
    await worker.stop();
  }
}

/** 5b's figures: calls per VPS by purpose, wall time, and the per-instance projection at the same budget. */
function reportBudgeted(ctx: BenchContext, { wallMs, run, rps }: { wallMs: number; run: RunRow; rps: number }): void {
  const { report, scale } = ctx;
  const section = "5b budgeted";
  const perVps = run.calls / run.checked;
  report.add({
    section,
    metric: `Hostwinds calls per VPS (${run.calls}: list ${run.list}, learn ${run.learn}, verify ${run.verify}, fallback ${run.fallback})`,
    value: perVps.toFixed(4),
    target: "≤ 0.01",
    met: perVps <= 0.01,
  });
  report.add({
    section,
    metric: `wall time, ${scale.vps} VPS + ${scale.vps * scale.ipsPerVps} IPs`,
    value: `${(wallMs / 60_000).toFixed(1)} min`,
    target: "≤ 15 min",
    met: wallMs <= 900_000,
  });
  // Per-instance pricing: get_instances, then one get_price_list(serviceid) per VPS, at the same budget.
  const projectedMs = ((scale.vps + 1) / rps) * 1000;
  report.add({
    section,
    metric: `per-instance pricing at the same budget, projected (${scale.vps + 1} calls ÷ ${rps}/s)`,
    value: `${(projectedMs / 3_600_000).toFixed(1)} h`,
  });
  report.add({
    section,
    metric: "projected per-instance ÷ measured catalogue wall time",
    value: (projectedMs / wallMs).toFixed(0),
  });
}

/**
 * Creates a Hostwinds instance and its VPS row every `everyMs` until `until()`: each instance
 * appears at the simulator just before its row, so no run sees it as untracked.
 */
async function insertEvery(
  c: pg.Client,
  sim: BenchContext["sim"],
  o: { firstSid: number; everyMs: number; until: () => boolean },
): Promise<number> {
  let n = 0;
  while (!o.until()) {
    const serviceid = o.firstSid + n;
    sim.catalogue.setInstance({ serviceid, rid: ["10", "11", "12"][n % 3] ?? "10", billingcycle: "monthly" });
    await c.query(`INSERT INTO vps_instances (hostwinds_instance_id, status) VALUES ($1, 'active')`, [
      String(serviceid),
    ]);
    n++;
    await sleep(o.everyMs);
  }
  return n;
}

async function untilSynced(c: pg.Client, firstSid: number, count: number): Promise<void> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vps_instances WHERE hostwinds_instance_id::bigint >= $1 AND approximate_cost_synced_at IS NOT NULL`,
      [firstSid],
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    if (performance.now() > deadline) throw new Error(`events not synced after 120 s: ${rows[0]?.n ?? 0} of ${count}`);
    await sleep(200);
  }
}

async function latencies(c: pg.Client, firstSid: number): Promise<number[]> {
  // The first cost write of each VPS (its history's first row), not approximate_cost_synced_at: the
  // running reconciliation checks the new rows too and moves synced_at to when it did, which would
  // time the run rather than the event. numeric since PostgreSQL 14 (a string from pg).
  const { rows } = await c.query<{ ms: string | number }>(
    `SELECT extract(epoch FROM min(h.changed_at) - v.created) * 1000 AS ms
       FROM vps_instances v JOIN cost_history h ON h.resource_kind = 'vps' AND h.resource_id = v.id
      WHERE v.hostwinds_instance_id::bigint >= $1
      GROUP BY v.id, v.created`,
    [firstSid],
  );
  return rows.map((r) => Number(r.ms));
}
