import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import type { WorkerContext } from "../context.js";
import { ms, percentile } from "../measure.js";

/** 4. Event latency: INSERT to approximate_cost written, with 50 ms Hostwinds latency. */
export async function eventLatencySection(ctx: WorkerContext): Promise<void> {
  const { c, sim, latencyInserts, report } = ctx;
  report.log(`4. event latency over ${latencyInserts} inserts`);
  sim.latencyMs = 50;
  const firstSid = ctx.scale.vps + 1;
  for (let i = 0; i < latencyInserts; i++) {
    await c.query(`INSERT INTO vps_instances (hostwinds_instance_id, status) VALUES ($1, 'active')`, [
      String(firstSid + i),
    ]);
    await sleep(20); // ~50 inserts per second, as a busy provisioning day would never reach
  }
  await untilAllSynced(c, firstSid, latencyInserts);
  // numeric since PostgreSQL 14 (a string from pg), double precision before.
  const lat = (
    await c.query<{ ms: string | number }>(
      `SELECT extract(epoch FROM approximate_cost_synced_at - created) * 1000 AS ms FROM vps_instances WHERE hostwinds_instance_id::bigint >= $1`,
      [firstSid],
    )
  ).rows.map((r) => Number(r.ms));
  report.add({ section: "4 events", metric: "INSERT -> cost written, p50", value: ms(percentile(lat, 50)) });
  report.add({
    section: "4 events",
    metric: "INSERT -> cost written, p95",
    value: ms(percentile(lat, 95)),
    target: "≤ 1000 ms",
    met: percentile(lat, 95) <= 1000,
  });
  sim.latencyMs = 0;
}

/** Waits until the `count` VPS inserted from service id `firstSid` have had their cost written. */
async function untilAllSynced(c: pg.Client, firstSid: number, count: number): Promise<void> {
  for (;;) {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vps_instances WHERE hostwinds_instance_id::bigint >= $1 AND approximate_cost_synced_at IS NOT NULL`,
      [firstSid],
    );
    const [row] = rows;
    if (!row) throw new Error("count(*) returned no row");
    if (row.n >= count) break;
    await sleep(200);
  }
}
