import { centsOf, formatCents } from "../../money.js";
import type { SqlRunner } from "../client.js";
import {
  anomalyParams,
  historyParams,
  toChanges,
  type AnomalyParams,
  type AnomalyRule,
  type ChangeRow,
  type CostChange,
  type HistoryParams,
  type WriteContext,
} from "./cost-writes.js";
import { query, statement, type NoParams } from "../sql.js";

/** The columns of a VPS that decide its cost. */
export interface VpsRow {
  id: string;
  serviceId: string | null;
  status: string | null;
  overrideCents: bigint | null;
  costCents: bigint | null;
}

/**
 * The facts a decision about a VPS rested on. A write re-checks them in its own statement and
 * skips the row when any has moved since they were read (a status change, a new serviceid, an
 * override set or cleared): the change that moved them brings its own sync.
 */
export type VpsFacts = Pick<VpsRow, "serviceId" | "status" | "overrideCents">;

/** A VPS cost to write, where it came from, and the facts it was decided on. */
export interface VpsCost {
  id: string;
  cents: bigint;
  source: string;
  facts: VpsFacts;
}

/** Why a VPS could not be priced, and the facts that was decided on. */
export interface VpsUnpriced {
  id: string;
  reason: string;
  facts: VpsFacts;
}

/** What a write did: the changes (with history), anomalies found, and the ids skipped because their facts moved. */
export interface VpsWrite {
  changes: CostChange[];
  anomalies: number;
  skipped: string[];
}

const factColumns = (items: readonly { facts: VpsFacts }[]) => ({
  sids: items.map((i) => i.facts.serviceId),
  statuses: items.map((i) => i.facts.status),
  overrides: items.map((i) => (i.facts.overrideCents === null ? null : formatCents(i.facts.overrideCents))),
});

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
const MARK_UNPRICED = statement<
  {
    ids: string[];
    reasons: string[];
    sids: (string | null)[];
    statuses: (string | null)[];
    overrides: (string | null)[];
  },
  { id: string; written: boolean }
>("vps/mark-unpriced");
const EXISTS = statement<{ id: string }, { found: boolean }>("vps/exists");
const COUNT = statement<NoParams, { n: number }>("vps/count");
const PRICED_SIDS = statement<NoParams, { sid: string }>("vps/priced-service-ids");
const LIST_IDS = statement<NoParams, { id: string }>("vps/list-ids");
const WRITE_COSTS = statement<
  {
    ids: string[];
    costs: string[];
    sources: string[];
    sids: (string | null)[];
    statuses: (string | null)[];
    overrides: (string | null)[];
  } & HistoryParams &
    AnomalyParams,
  { changes: ChangeRow[]; anomalies: number; skipped: string[] }
>("vps/write-costs");

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

/** The service ids a reconciliation has to price: a plan group is verified on these, never on instances whose price is not used. */
export async function pricedServiceIds(db: SqlRunner): Promise<Set<number>> {
  return new Set((await query(db, PRICED_SIDS, {})).map((r) => Number(r.sid)));
}

/** How many VPS there are (the total a reconciliation's progress counts towards). */
export async function countVps(db: SqlRunner): Promise<number> {
  return (await query(db, COUNT, {}))[0]?.n ?? 0;
}

export async function listVpsIds(db: SqlRunner): Promise<string[]> {
  return (await query(db, LIST_IDS, {})).map((r) => r.id);
}

/**
 * Records why VPS could not be priced; their cost stays as it was. Rows whose facts moved since
 * the decision are skipped (their ids are returned).
 */
export async function markVpsUnpriced(db: SqlRunner, items: readonly VpsUnpriced[]): Promise<{ skipped: string[] }> {
  if (items.length === 0) return { skipped: [] };
  const rows = await query(db, MARK_UNPRICED, {
    ids: items.map((i) => i.id),
    reasons: items.map((i) => i.reason),
    ...factColumns(items),
  });
  return { skipped: rows.filter((r) => !r.written).map((r) => r.id) };
}

/**
 * Sets VPS costs in one statement, with their history and anomalies. Each row is written only if
 * the facts its cost was decided on still hold when the row is locked (`old.current`): the
 * override (so an override is replaced by nothing but itself, and a cleared one never comes back),
 * the status and the serviceid. A row whose facts moved is skipped and its id returned.
 */
export async function writeVpsCosts(
  db: SqlRunner,
  costs: readonly VpsCost[],
  o: { write: WriteContext; anomaly?: AnomalyRule },
): Promise<VpsWrite> {
  if (costs.length === 0) return { changes: [], anomalies: 0, skipped: [] };
  const [row] = await query(db, WRITE_COSTS, {
    ids: costs.map((c) => c.id),
    costs: costs.map((c) => formatCents(c.cents)),
    sources: costs.map((c) => c.source),
    ...factColumns(costs),
    ...historyParams("vps", o.write),
    ...anomalyParams(o.anomaly),
  });
  return { changes: toChanges(row?.changes ?? []), anomalies: row?.anomalies ?? 0, skipped: row?.skipped ?? [] };
}
