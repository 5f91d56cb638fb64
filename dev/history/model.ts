/**
 * A generated cost history (docs/forecast.md, "Generated history"): a fleet that grows at a known
 * rate with noise, a plan price change, tenants that join and leave, shared VPS split by
 * assignments, an override, and scheduled decommissions ahead. Deterministic for a seed (the ids
 * too), so a backtest on it is reproducible. Money is integer cents.
 */
export interface HistoryConfig {
  seed: number;
  /** "Now": the history runs up to this instant; its month is the current month. */
  end: Date;
  /** Complete months of history before the current month. */
  months: number;
  tenants: number;
  /** VPS created over the whole history (churn and leavers take some away). */
  vps: number;
  ipsPerVps: number;
  /** Every k-th VPS has no owner and is split by its IPs' assignments; 0: none. */
  sharedEvery: number;
  /** Compound growth of the VPS count per month, in percent (the known trend). */
  growthPercent: number;
  /** Share of VPS decommissioned each month, in percent. */
  churnPercent: number;
}

export interface Change {
  at: Date;
  cents: bigint;
  source: string;
}

export interface GenIp {
  id: string;
  changes: Change[];
}

export interface GenAssignment {
  ipId: string;
  tenantId: string;
  assigned: Date;
  /** Set: the assignment ended then (status expired). */
  expires: Date | null;
}

export interface GenVps {
  id: string;
  serviceid: string;
  created: Date;
  tenantId: string | null;
  rid: string;
  status: "active" | "scheduled_decommission" | "decommissioned";
  decommissionScheduledFor: Date | null;
  /** Finance's override in force at the end, if any. */
  overrideCents: bigint | null;
  changes: Change[];
  ips: GenIp[];
}

export interface GenTenant {
  id: string;
  name: string;
  joined: Date;
  /** Set: every VPS of the tenant was decommissioned then. */
  left: Date | null;
}

export interface History {
  config: HistoryConfig;
  start: Date;
  tenants: GenTenant[];
  vps: GenVps[];
  assignments: GenAssignment[];
  /** The plan price change: rid, when, old and new price. */
  priceChange: { rid: string; at: Date; oldCents: bigint; newCents: bigint };
}

export const PLAN_PRICES: Readonly<Record<string, bigint>> = { "11": 2000n, "12": 3500n, "13": 6000n };
export const IP_CENTS = 300n;
const IP_SOURCE = "system_config cost_sync.smtp_ip_monthly_cost_usd";
const planSource = (rid: string) => `get_price_list rid ${rid} monthly`;

/** mulberry32: a small seeded generator, so the same seed gives the same history. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic uuids from the generator (v4 layout). */
function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const monthStart = (d: Date, add = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));

/** Builds the history a config describes. */
export function generateHistory(config: HistoryConfig): History {
  const rand = seeded(config.seed);
  const start = monthStart(config.end, -config.months);
  const span = config.end.getTime() - start.getTime();
  const at = (fraction: number) => new Date(start.getTime() + Math.floor(Math.min(Math.max(fraction, 0), 1) * span));
  const tenants = makeTenants(config, rand, at);
  const g = 1 + config.growthPercent / 100;
  const horizon = config.months + 1;
  const total = g ** horizon - 1;
  const priceChange = { rid: "11", at: at(0.62 + rand() * 0.01), oldCents: PLAN_PRICES["11"] ?? 0n, newCents: 2200n };
  const vps: GenVps[] = [];
  const assignments: GenAssignment[] = [];
  for (let i = 0; i < config.vps; i++) {
    // creation times follow the compound growth curve, jittered by a day or so
    const u = (i + rand()) / config.vps;
    const created = new Date(
      at(Math.log(1 + u * total) / Math.log(g) / horizon).getTime() - Math.floor(rand() * 86_400_000),
    );
    const shared = config.sharedEvery > 0 && i % config.sharedEvery === config.sharedEvery - 1;
    const pick = () => pickTenant(rand, tenants, created);
    const owner = shared ? null : pick();
    const r = rand();
    const rid = r < 0.6 ? "11" : r < 0.9 ? "12" : "13";
    const v = makeVps(rand, { i, created, tenantId: owner?.id ?? null, rid, ips: config.ipsPerVps }, priceChange);
    if (shared) assignments.push(...shareAmong(rand, v, pick, config.end));
    const monthly = config.churnPercent / 100;
    const churnAfter = -Math.log(1 - rand()) / (monthly || 1e-9); // months until decommissioned
    const end = owner?.left ?? null;
    const churnAt = new Date(created.getTime() + churnAfter * 30.44 * 86_400_000);
    const gone = end !== null && (churnAt >= config.end || churnAt > end) ? end : churnAt < config.end ? churnAt : null;
    if (gone !== null && gone > created) decommission(v, gone);
    vps.push(v);
  }
  scheduleAhead(rand, config, vps);
  overrideOne(vps, at(0.4));
  return { config, start, tenants, vps, assignments, priceChange };
}

function makeTenants(config: HistoryConfig, rand: () => number, at: (f: number) => Date): GenTenant[] {
  return Array.from({ length: config.tenants }, (_, k) => {
    // most tenants are there from the start; one in five joins later; one in twenty-five leaves
    const joined = k % 5 === 4 ? at(0.2 + rand() * 0.6) : at(0);
    const left = k % 25 === 7 ? at(0.5 + rand() * 0.4) : null;
    return { id: uuidFrom(rand), name: `Tenant ${String(k + 1)}`, joined, left };
  });
}

interface NewVps {
  i: number;
  created: Date;
  tenantId: string | null;
  rid: string;
  ips: number;
}

function makeVps(rand: () => number, { i, created, tenantId, rid, ips }: NewVps, pc: History["priceChange"]): GenVps {
  const before = PLAN_PRICES[rid] ?? 0n;
  const price = rid === pc.rid && created >= pc.at ? pc.newCents : before;
  const changes: Change[] = [{ at: created, cents: price, source: planSource(rid) }];
  if (rid === pc.rid && created < pc.at) changes.push({ at: pc.at, cents: pc.newCents, source: planSource(rid) });
  const v: GenVps = {
    id: uuidFrom(rand),
    serviceid: String(900_000 + i),
    created,
    tenantId,
    rid,
    status: "active",
    decommissionScheduledFor: null,
    overrideCents: null,
    changes,
    ips: [],
  };
  for (let k = 0; k < ips; k++)
    v.ips.push({ id: uuidFrom(rand), changes: [{ at: created, cents: IP_CENTS, source: IP_SOURCE }] });
  return v;
}

/** A random tenant that has joined and not left at `at` (a few draws; null when none turns up). */
function pickTenant(rand: () => number, tenants: GenTenant[], at: Date): GenTenant | null {
  for (let k = 0; k < 32; k++) {
    const t = tenants[Math.floor(rand() * tenants.length)];
    if (t && t.joined <= at && (t.left === null || t.left > at)) return t;
  }
  return null;
}

function shareAmong(rand: () => number, v: GenVps, pick: () => GenTenant | null, end: Date): GenAssignment[] {
  const out: GenAssignment[] = [];
  for (const ip of v.ips) {
    const n = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) {
      const t = pick();
      if (!t) continue;
      // an assignment a few days after the VPS; a third of them end after a while
      const assigned = new Date(Math.min(v.created.getTime() + Math.floor(rand() * 5 * 86_400_000), end.getTime()));
      const expires =
        rand() < 0.33 ? new Date(assigned.getTime() + Math.floor((20 + rand() * 200) * 86_400_000)) : null;
      out.push({
        ipId: ip.id,
        tenantId: t.id,
        assigned,
        expires: t.left && (!expires || expires > t.left) ? t.left : expires,
      });
    }
  }
  return out;
}

function decommission(v: GenVps, at: Date): void {
  v.changes = v.changes.filter((c) => c.at < at);
  v.changes.push({ at, cents: 0n, source: "vps decommissioned" });
  for (const ip of v.ips) ip.changes.push({ at, cents: 0n, source: "vps decommissioned" });
  v.status = "decommissioned";
}

/** One in two hundred live VPS is scheduled for decommissioning within the next three months. */
function scheduleAhead(rand: () => number, config: HistoryConfig, vps: GenVps[]): void {
  vps.forEach((v, i) => {
    if (v.status !== "active" || i % 200 !== 3) return;
    v.status = "scheduled_decommission";
    v.decommissionScheduledFor = new Date(config.end.getTime() + Math.floor((1 + rand() * 88) * 86_400_000));
  });
}

/** Finance's override on the first live VPS: 15.00 from `at` on (its plan keeps its rid). */
function overrideOne(vps: GenVps[], at: Date): void {
  const v = vps.find((x) => x.created < at && x.status === "active" && x.changes.every((c) => c.cents > 0n));
  if (!v) return;
  v.changes = [...v.changes.filter((c) => c.at < at), { at, cents: 1500n, source: "override" }];
  v.overrideCents = 1500n;
}
