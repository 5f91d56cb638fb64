import { centsOf, formatCents } from "../money.js";
import { Prisma, type SqlRunner } from "./client.js";
import {
  anomalyCte,
  changesJson,
  historyCte,
  toChanges,
  type AnomalyRule,
  type ChangeRow,
  type CostChange,
  type WriteContext,
} from "./cost-fragments.js";
import { execute, query, statement, type NoParams } from "./sql.js";

/** The columns of a VPS that decide its cost. */
export interface VpsRow {
  id: string;
  serviceId: string | null;
  status: string | null;
  overrideCents: bigint | null;
  costCents: bigint | null;
}

/** A VPS cost to write, and where it came from. */
export interface VpsCost {
  id: string;
  cents: bigint;
  source: string;
}

interface RawVps {
  id: string;
  sid: string | null;
  status: string | null;
  override: string | null;
  cost: string | null;
}
const toRow = (r: RawVps): VpsRow => ({
  id: r.id,
  serviceId: r.sid,
  status: r.status,
  overrideCents: centsOf(r.override),
  costCents: centsOf(r.cost),
});

const LOAD_ONE = statement<{ id: string }, RawVps>("vps/load-one");
const LOAD_CHUNK = statement<{ after: string | null; size: number }, RawVps>("vps/load-chunk");
const MARK_UNPRICED = statement<{ ids: string[]; reasons: string[] }>("vps/mark-unpriced");
const EXISTS = statement<{ id: string }, { found: boolean }>("vps/exists");
const LIST_IDS = statement<NoParams, { id: string }>("vps/list-ids");

export async function loadVps(db: SqlRunner, id: string): Promise<VpsRow | undefined> {
  const [row] = await query(db, LOAD_ONE, { id });
  return row && toRow(row);
}

/** The next chunk of VPS after `after` in id order: the resumable walk of a reconciliation. */
export async function loadVpsChunk(db: SqlRunner, o: { after: string | null; size: number }): Promise<VpsRow[]> {
  return (await query(db, LOAD_CHUNK, o)).map(toRow);
}

export async function vpsExists(db: SqlRunner, id: string): Promise<boolean> {
  const [row] = await query(db, EXISTS, { id });
  return row?.found === true;
}

export async function listVpsIds(db: SqlRunner): Promise<string[]> {
  return (await query(db, LIST_IDS, {})).map((r) => r.id);
}

/** Records why VPS could not be priced; their cost stays as it was. Returns how many rows changed. */
export async function markVpsUnpriced(
  db: SqlRunner,
  items: readonly { id: string; reason: string }[],
): Promise<number> {
  if (items.length === 0) return 0;
  return execute(db, MARK_UNPRICED, { ids: items.map((i) => i.id), reasons: items.map((i) => i.reason) });
}

/**
 * Sets VPS costs in one statement, with their history and anomalies. A VPS with an override
 * accepts only its override (source "override").
 */
export async function writeVpsCosts(
  db: SqlRunner,
  costs: readonly VpsCost[],
  o: { write: WriteContext; anomaly?: AnomalyRule },
): Promise<{ changes: CostChange[]; anomalies: number }> {
  if (costs.length === 0) return { changes: [], anomalies: 0 };
  const ids = costs.map((c) => c.id);
  const values = costs.map((c) => formatCents(c.cents));
  const sources = costs.map((c) => c.source);
  const [row] = await db.$queryRaw<{ changes: ChangeRow[]; anomalies: number }[]>(Prisma.sql`
    WITH u AS (SELECT * FROM unnest(${ids}::uuid[], ${values}::numeric[], ${sources}::text[]) AS u(id, cost, source)),
     old AS (SELECT v.id, v.approximate_cost FROM vps_instances v JOIN u ON u.id = v.id ORDER BY v.id FOR UPDATE OF v),
     upd AS (
       UPDATE vps_instances v
          SET approximate_cost = u.cost, approximate_cost_source = u.source,
              approximate_cost_synced_at = now(), approximate_cost_unpriced_reason = NULL
         FROM u JOIN old ON old.id = u.id
        WHERE v.id = u.id
          AND (v.approximate_cost_override IS NULL OR (u.source = 'override' AND u.cost = v.approximate_cost_override))
          AND (v.approximate_cost IS DISTINCT FROM u.cost OR v.approximate_cost_source IS DISTINCT FROM u.source
               OR v.approximate_cost_unpriced_reason IS NOT NULL)
       RETURNING v.id, old.approximate_cost AS old_value, v.approximate_cost AS new_value, u.source
     ),
     changed AS (SELECT * FROM upd WHERE old_value IS DISTINCT FROM new_value),
     ${historyCte("vps", o.write)},
     ${anomalyCte("vps", o.anomaly)}
    SELECT ${changesJson} AS changes, (SELECT count(*) FROM anom)::int AS anomalies`);
  return { changes: toChanges(row?.changes ?? []), anomalies: row?.anomalies ?? 0 };
}
