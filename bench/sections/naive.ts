import { EventEmitter, once } from "node:events";
import type { Job } from "bullmq";
import type pg from "pg";
import type { WorkerContext } from "../context.js";
import { ms } from "../measure.js";

/**
 * 2. The naive way on a subset: one job and one single-row write per resource (each VPS, each IP),
 * compared per VPS with the reconciliation's `perVpsRecMs`.
 */
export async function naiveSection(ctx: WorkerContext, perVpsRecMs: number): Promise<void> {
  const { naiveVps, report } = ctx;
  report.log(`2. naive: one job per VPS and one per IP for ${naiveVps} VPS and their IPs`);
  const { ids, ipIds } = await resetSubset(ctx.c, naiveVps);
  const naiveMs = await oneJobPerResource(ctx, ids, ipIds);
  const perVpsNaive = naiveMs / naiveVps;
  report.add({
    section: "2 naive",
    metric: `wall time, ${naiveVps} vps.sync + ${ipIds.length} ip.sync jobs`,
    value: ms(naiveMs),
  });
  report.add({
    section: "2 naive",
    metric: "per VPS: naive / reconcile",
    value: `${ms(perVpsNaive)} / ${ms(perVpsRecMs)} = ${(perVpsNaive / perVpsRecMs).toFixed(1)}x`,
    target: "reconcile ≥ 10x faster",
    met: perVpsNaive / perVpsRecMs >= 10,
  });
}

/** The first `count` active VPS and their IPs, with their costs back at 0.00. */
async function resetSubset(c: pg.Client, count: number): Promise<{ ids: string[]; ipIds: string[] }> {
  const ids = (
    await c.query<{ id: string }>(
      `SELECT id::text FROM vps_instances WHERE status = 'active' ORDER BY hostwinds_instance_id::int LIMIT $1`,
      [count],
    )
  ).rows.map((r) => r.id);
  const ipIds = (
    await c.query<{ id: string }>(`SELECT id::text FROM smtp_ip_addresses WHERE vps_instance_id = ANY($1::uuid[])`, [
      ids,
    ])
  ).rows.map((r) => r.id);
  // The same work as a first reconciliation: every cost starts at 0.00 (no events while resetting).
  await c.query("SET session_replication_role = replica");
  await c.query(`UPDATE vps_instances SET approximate_cost = 0 WHERE id = ANY($1::uuid[])`, [ids]);
  await c.query(`UPDATE smtp_ip_addresses SET approximate_cost = 0 WHERE id = ANY($1::uuid[])`, [ipIds]);
  await c.query("SET session_replication_role = origin");
  return { ids, ipIds };
}

/** Enqueues one sync job per VPS and per IP; the wall time until the last one has finished, in ms. */
async function oneJobPerResource(ctx: WorkerContext, ids: string[], ipIds: string[]): Promise<number> {
  const { producer, queueEvents } = ctx;
  const outstanding = new Outstanding();
  const onDone = ({ jobId }: { jobId: string }) => outstanding.finished(jobId);
  queueEvents.on("completed", onDone);
  queueEvents.on("failed", onDone);
  const t0 = performance.now();
  const jobs: Job[] = [];
  for (const id of ids) {
    const j = await producer.enqueueVpsCostSync(id, { reason: "bench naive", dedupe: false });
    jobs.push(outstanding.add(j));
  }
  for (const id of ipIds) {
    const j = await producer.enqueueIpCostSync(id, { reason: "bench naive", dedupe: false });
    jobs.push(outstanding.add(j));
  }
  // Jobs that finished before they were added to the outstanding ones count too.
  for (const j of jobs) if (j.id !== undefined && (await j.isCompleted())) outstanding.finished(j.id);
  await outstanding.allFinished;
  return performance.now() - t0;
}

/** The ids of jobs not finished yet; `allFinished` resolves when the last one finishes. */
class Outstanding {
  readonly #ids = new Set<string>();
  readonly #emitter = new EventEmitter();
  readonly allFinished: Promise<unknown> = once(this.#emitter, "empty");

  add(job: Job): Job {
    if (job.id === undefined) throw new Error(`job ${job.name} was enqueued without an id`);
    this.#ids.add(job.id);
    return job;
  }

  finished(jobId: string): void {
    if (this.#ids.delete(jobId) && this.#ids.size === 0) this.#emitter.emit("empty");
  }
}
