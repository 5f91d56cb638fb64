import type { SqlRunner } from "../client.js";
import { execute, query, statement, type NoParams } from "../sql.js";

/**
 * Untracked spend and ghost rows (docs/untracked.md): what a reconciliation found when it compared
 * the account's get_instances with the VPS rows. Fleet-level: nothing here names a tenant.
 */

/** A Hostwinds instance no VPS row names, as a run records it: a monthly cost or why there is none. */
export interface UntrackedInstance {
  serviceid: string;
  hostname: string | null;
  mainIp: string | null;
  plan: string | null;
  status: string | null;
  /** Exact decimal ("9.99"); null exactly when unpricedReason is set. */
  monthlyCost: string | null;
  unpricedReason: string | null;
}

/** A run's untracked figures. */
export interface UntrackedFigures {
  instances: number;
  unpriced: number;
  /** Monthly USD of the priced ones, exact ("27.45"). */
  monthlyUsd: string;
}

/** What the ghost check of a run rests on (see record-ghosts.sql). */
export interface GhostCheck {
  runId: string;
  /** False when the listing was not complete: no ghost is recorded, ghost_rows stays NULL. */
  checked: boolean;
  /** The database's clock just before the listing. */
  listedAt: Date;
  /** Service ids the listing named as live (or could not read): their rows are no ghosts. */
  live: readonly string[];
  /** Service ids the listing named with an ended status, and that status. */
  ended: readonly { serviceid: string; status: string }[];
}

/** The latest completed run that checked (cost_untracked_latest). */
export interface LatestUntracked extends UntrackedFigures {
  runId: string;
  checkedAt: Date | null;
  /** Null: that run could not check for ghosts. */
  ghostRows: number | null;
}

export interface GhostRow {
  vpsId: string;
  serviceid: string;
  hostwindsStatus: string;
}

const CLOCK = statement<NoParams, { now: Date }>("untracked/clock");
const REFERENCED = statement<NoParams, { sid: string }>("untracked/referenced");
const RECORDED = statement<{ runId: string }, { serviceid: string }>("untracked/recorded");
const RECORD = statement<{
  runId: string;
  sids: string[];
  hostnames: (string | null)[];
  ips: (string | null)[];
  plans: (string | null)[];
  statuses: (string | null)[];
  costs: (string | null)[];
  reasons: (string | null)[];
}>("untracked/record-instances");
const RECORD_LISTED = statement<{
  runId: string;
  sids: string[];
  hostnames: (string | null)[];
  statuses: (string | null)[];
}>("untracked/record-listed");
const SUMMARISE = statement<{ runId: string; sids: string[] }, UntrackedFigures>("untracked/summarise");
const RECORD_GHOSTS = statement<
  { runId: string; checked: boolean; listedAt: Date; live: string[]; endedSids: string[]; endedStatuses: string[] },
  { n: number | null }
>("untracked/record-ghosts");
const LATEST = statement<NoParams, LatestUntracked>("untracked/latest");
const RUN_FIGURES = statement<
  { runId: string },
  { instances: number | null; unpriced: number | null; monthlyUsd: string | null; ghostRows: number | null }
>("untracked/run-figures");
const INSTANCES = statement<{ runId: string; limit: number }, UntrackedInstance & { total: number }>(
  "untracked/instances",
);
const GHOSTS = statement<{ runId: string; limit: number }, GhostRow & { total: number }>("untracked/ghosts");

export async function databaseClock(db: SqlRunner): Promise<Date> {
  const [row] = await query(db, CLOCK, {});
  if (!row) throw new Error("clock_timestamp() returned no row");
  return row.now;
}

/** Every service id a VPS row names (as digits without leading zeros), whatever the row's status. */
export async function referencedServiceIds(db: SqlRunner): Promise<Set<string>> {
  return new Set((await query(db, REFERENCED, {})).map((r) => r.sid));
}

export async function recordedUntracked(db: SqlRunner, runId: string): Promise<Set<string>> {
  return new Set((await query(db, RECORDED, { runId })).map((r) => r.serviceid));
}

/** Records untracked instances; each is skipped if a VPS row names it by now. Returns how many were written. */
export function recordUntracked(db: SqlRunner, runId: string, items: readonly UntrackedInstance[]): Promise<number> {
  return execute(db, RECORD, {
    runId,
    sids: items.map((i) => i.serviceid),
    hostnames: items.map((i) => i.hostname),
    ips: items.map((i) => i.mainIp),
    plans: items.map((i) => i.plan),
    statuses: items.map((i) => i.status),
    costs: items.map((i) => i.monthlyCost),
    reasons: items.map((i) => i.unpricedReason),
  });
}

/** An instance as get_instances listed it: what host-name matching of invoice lines reads. */
export interface ListedHost {
  serviceid: string;
  hostname: string | null;
  status: string | null;
}

/** Records every instance a run listed, tracked or not, with its host name (idempotent per run). */
export function recordListed(db: SqlRunner, runId: string, items: readonly ListedHost[]): Promise<number> {
  return execute(db, RECORD_LISTED, {
    runId,
    sids: items.map((i) => i.serviceid),
    hostnames: items.map((i) => i.hostname),
    statuses: items.map((i) => i.status),
  });
}

/** Sets a run's untracked figures from what it recorded, dropping what a row names by now or the listing no longer names. */
export async function summariseUntracked(db: SqlRunner, runId: string, listed: readonly string[]) {
  const [row] = await query(db, SUMMARISE, { runId, sids: [...listed] });
  if (!row) throw new Error(`reconciliation run ${runId} vanished while recording its untracked instances`);
  return row;
}

/** Records a run's ghost rows (or that it could not check); returns their number, null when not checked. */
export async function recordGhosts(db: SqlRunner, c: GhostCheck): Promise<number | null> {
  const [row] = await query(db, RECORD_GHOSTS, {
    runId: c.runId,
    checked: c.checked,
    listedAt: c.listedAt,
    live: [...c.live],
    endedSids: c.ended.map((e) => e.serviceid),
    endedStatuses: c.ended.map((e) => e.status),
  });
  return row?.n ?? null;
}

export async function latestUntracked(db: SqlRunner): Promise<LatestUntracked | undefined> {
  return (await query(db, LATEST, {}))[0];
}

/** One run's figures; undefined when it did not check (or does not exist). */
export async function runUntrackedFigures(
  db: SqlRunner,
  runId: string,
): Promise<(UntrackedFigures & { ghostRows: number | null }) | undefined> {
  const [row] = await query(db, RUN_FIGURES, { runId });
  if (!row || row.instances === null || row.unpriced === null || row.monthlyUsd === null) return undefined;
  return { instances: row.instances, unpriced: row.unpriced, monthlyUsd: row.monthlyUsd, ghostRows: row.ghostRows };
}

/** A run's untracked instances (the first `limit`) and how many in all. */
export async function runUntracked(db: SqlRunner, runId: string, limit: number) {
  const rows = await query(db, INSTANCES, { runId, limit });
  const shown = rows.map((r): UntrackedInstance => ({
    serviceid: r.serviceid,
    hostname: r.hostname,
    mainIp: r.mainIp,
    plan: r.plan,
    status: r.status,
    monthlyCost: r.monthlyCost,
    unpricedReason: r.unpricedReason,
  }));
  return { total: rows[0]?.total ?? 0, shown };
}

/** A run's ghost rows (the first `limit`) and how many in all. */
export async function runGhosts(db: SqlRunner, runId: string, limit: number) {
  const rows = await query(db, GHOSTS, { runId, limit });
  const shown = rows.map((r): GhostRow => ({
    vpsId: r.vpsId,
    serviceid: r.serviceid,
    hostwindsStatus: r.hostwindsStatus,
  }));
  return { total: rows[0]?.total ?? 0, shown };
}
