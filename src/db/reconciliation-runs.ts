import type { SqlRunner } from "./client.js";

export interface RunRow {
  id: string;
  status: "running" | "completed" | "failed";
  cursor: string | null;
}

/** The run of this job: created on the first attempt, found again on a retry (resume). */
export async function openRun(db: SqlRunner, jobId: string, trigger: string): Promise<RunRow> {
  const rows = await db.$queryRawUnsafe<{ id: string; status: RunRow["status"]; cursor: string | null }[]>(
    `INSERT INTO cost_reconciliation_runs (job_id, trigger, total_before)
     VALUES ($1, $2, (SELECT COALESCE(sum(approximate_cost), 0) FROM vps_instances) + (SELECT COALESCE(sum(approximate_cost), 0) FROM smtp_ip_addresses))
     ON CONFLICT (job_id) DO UPDATE SET status = CASE WHEN cost_reconciliation_runs.status = 'failed' THEN 'running' ELSE cost_reconciliation_runs.status END, error = NULL
     RETURNING id::text, status, cursor_vps_id::text AS cursor`,
    jobId,
    trigger,
  );
  return rows[0]!;
}

export interface ChunkTally {
  cursor: string;
  checked: number;
  changed: number;
  unpriced: number;
  failed: number;
  calls: number;
  ipChecked: number;
  ipChanged: number;
}

/** Advances the run past one chunk; called in the chunk's transaction, so cursor and writes move together. */
export async function advanceRun(db: SqlRunner, runId: string, t: ChunkTally): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE cost_reconciliation_runs SET cursor_vps_id = $2::uuid, vps_checked = vps_checked + $3, vps_changed = vps_changed + $4,
            vps_unpriced = vps_unpriced + $5, vps_failed = vps_failed + $6, hostwinds_calls = hostwinds_calls + $7,
            ip_checked = ip_checked + $8, ip_changed = ip_changed + $9
      WHERE id = $1::uuid`,
    runId, t.cursor, t.checked, t.changed, t.unpriced, t.failed, t.calls, t.ipChecked, t.ipChanged,
  );
}

export async function addCalls(db: SqlRunner, runId: string, calls: number): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE cost_reconciliation_runs SET hostwinds_calls = hostwinds_calls + $2 WHERE id = $1::uuid`, runId, calls);
}

export interface RunSummary {
  id: string;
  status: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  vpsChecked: number;
  vpsChanged: number;
  vpsUnpriced: number;
  vpsFailed: number;
  ipChecked: number;
  ipChanged: number;
  anomalies: number;
  hostwindsCalls: number;
  totalBefore: string | null;
  totalAfter: string | null;
  monthlyCostDifference: string | null;
  error: string | null;
}

const SUMMARY_COLUMNS = `id::text, status, trigger, started_at AS "startedAt", finished_at AS "finishedAt", vps_checked AS "vpsChecked",
  vps_changed AS "vpsChanged", vps_unpriced AS "vpsUnpriced", vps_failed AS "vpsFailed", ip_checked AS "ipChecked", ip_changed AS "ipChanged",
  anomalies, hostwinds_calls AS "hostwindsCalls", total_before::text AS "totalBefore", total_after::text AS "totalAfter",
  monthly_cost_difference::text AS "monthlyCostDifference", error`;

/** Closes a run, adding the last IPs (those on no VPS) and the modelled total after it. */
export async function completeRun(db: SqlRunner, runId: string, ip: { checked: number; changed: number }): Promise<RunSummary> {
  const rows = await db.$queryRawUnsafe<RunSummary[]>(
    `UPDATE cost_reconciliation_runs SET status = 'completed', finished_at = now(), ip_checked = ip_checked + $2, ip_changed = ip_changed + $3,
            anomalies = (SELECT count(*) FROM cost_anomalies WHERE run_id = $1::uuid),
            total_after = (SELECT COALESCE(sum(approximate_cost), 0) FROM vps_instances) + (SELECT COALESCE(sum(approximate_cost), 0) FROM smtp_ip_addresses),
            monthly_cost_difference = (SELECT sum(approximate_cost - monthly_cost) FROM vps_instances WHERE monthly_cost IS NOT NULL)
      WHERE id = $1::uuid
      RETURNING ${SUMMARY_COLUMNS}`,
    runId, ip.checked, ip.changed,
  );
  return rows[0]!;
}

export async function failRun(db: SqlRunner, runId: string, error: string): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE cost_reconciliation_runs SET status = 'failed', error = $2 WHERE id = $1::uuid AND status = 'running'`, runId, error);
}

export async function getRun(db: SqlRunner, runId: string): Promise<RunSummary | undefined> {
  return (await db.$queryRawUnsafe<RunSummary[]>(`SELECT ${SUMMARY_COLUMNS} FROM cost_reconciliation_runs WHERE id = $1::uuid`, runId))[0];
}

export async function latestRun(db: SqlRunner): Promise<RunSummary | undefined> {
  return (await db.$queryRawUnsafe<RunSummary[]>(`SELECT ${SUMMARY_COLUMNS} FROM cost_reconciliation_runs ORDER BY started_at DESC LIMIT 1`))[0];
}
