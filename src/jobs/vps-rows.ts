import { centsOf } from "../money.js";
import type { SqlRunner } from "../db/client.js";

/** The columns of a VPS that decide its cost. */
export interface VpsRow {
  id: string;
  serviceId: string | null;
  status: string | null;
  overrideCents: bigint | null;
  costCents: bigint | null;
}

type Raw = { id: string; sid: string | null; status: string | null; override: string | null; cost: string | null };
const toRow = (r: Raw): VpsRow => ({ id: r.id, serviceId: r.sid, status: r.status, overrideCents: centsOf(r.override), costCents: centsOf(r.cost) });
const COLUMNS = `id::text, hostwinds_instance_id AS sid, status, approximate_cost_override::text AS override, approximate_cost::text AS cost`;

export async function loadVps(db: SqlRunner, id: string): Promise<VpsRow | undefined> {
  const rows = await db.$queryRawUnsafe<Raw[]>(`SELECT ${COLUMNS} FROM vps_instances WHERE id = $1::uuid`, id);
  return rows[0] && toRow(rows[0]);
}

/** The next chunk of VPS after `cursor` in id order: the resumable walk of a reconciliation. */
export async function loadVpsChunk(db: SqlRunner, cursor: string | null, size: number): Promise<VpsRow[]> {
  const rows = await db.$queryRawUnsafe<Raw[]>(
    `SELECT ${COLUMNS} FROM vps_instances WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
    cursor,
    size,
  );
  return rows.map(toRow);
}

/** A Hostwinds serviceid, if the stored value is one (digits only). */
export function serviceIdOf(row: VpsRow): number | undefined {
  return row.serviceId && /^\d{1,15}$/.test(row.serviceId) ? Number(row.serviceId) : undefined;
}
