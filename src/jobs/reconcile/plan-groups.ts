import type { CatalogueMismatch, GroupPlan } from "../../db/writes/run-groups.js";
import type { ListedInstance, PriceOption } from "../../hostwinds/schemas.js";
import { formatCents } from "../../money.js";
import { groupKey, pickRandom, planFromCatalogue, priceFromPlan, sampleSize } from "../../pricing/catalogue.js";
import { findPlan, monthlyPrice, type PriceResult } from "../../pricing/monthly-price.js";
import type { HostwindsReader } from "../context.js";
import { classify } from "../failure-policy.js";
import { mapLimit } from "../../map-limit.js";

export interface GroupPlanning {
  hostwinds: Pick<HostwindsReader, "getPriceList">;
  catalogue: readonly PriceOption[];
  instances: readonly ListedInstance[];
  /** The service ids whose price this run uses: groups are learned and verified only on these. */
  needed: ReadonlySet<number>;
  /** Share of each group verified one by one (at least one member). */
  samplePercent: number;
  concurrency: number;
  random?: () => number;
}

/** The run's plan: how each group is priced, what verification found, and what it cost. */
export interface PlannedGroups {
  groups: GroupPlan[];
  mismatches: CatalogueMismatch[];
  /** Per-instance answers already fetched (learners and samples): the walk reuses them. */
  known: Map<number, PriceResult>;
  calls: { learn: number; verify: number };
}

const asText = (r: PriceResult) => (r.kind === "priced" ? formatCents(r.cents) : `unpriceable: ${r.reason}`);
const agree = (a: PriceResult, b: PriceResult) =>
  a.kind === b.kind && (a.kind !== "priced" || (b.kind === "priced" && a.cents === b.cents));

/**
 * Learns each group's plan from one member, chosen at random, and verifies it on a random sample
 * of the others (at least one, `samplePercent` of the group): every sampled member's own price
 * must equal the catalogue's, to the cent. Any disagreement sends the group to per-instance pricing
 * for the rest of the run, and is recorded. Never trusts the catalogue over an instance.
 */
export async function planGroups(p: GroupPlanning): Promise<PlannedGroups> {
  const byKey = new Map<string, ListedInstance[]>();
  for (const i of p.instances) {
    const key = groupKey(i);
    if (!p.needed.has(i.serviceid)) continue;
    if (key === undefined) continue;
    // Appended in place: copying the group per member was quadratic (minutes for 100k VPS on a few plans).
    const members = byKey.get(key);
    if (members) members.push(i);
    else byKey.set(key, [i]);
  }
  const out: PlannedGroups = { groups: [], mismatches: [], known: new Map(), calls: { learn: 0, verify: 0 } };
  for (const [key, members] of byKey) out.groups.push(await planGroup(p, { key, members }, out));
  return out;
}

async function planGroup(
  p: GroupPlanning,
  g: { key: string; members: ListedInstance[] },
  out: PlannedGroups,
): Promise<GroupPlan> {
  const random = p.random ?? Math.random;
  const [learner] = pickRandom(g.members, 1, random);
  const base = { key: g.key, members: g.members.length, sampled: 0, rid: null, plan: null };
  if (!learner) return { ...base, mode: "per-instance", reason: "empty group" };
  out.calls.learn++;
  const own = await ownPrice(p, learner, out.known);
  const found = own.list ? findPlan({ options: own.list, instance: learner }) : undefined;
  if (!own.list || found?.kind !== "found")
    return { ...base, mode: "per-instance", reason: `plan not learned from serviceid ${String(learner.serviceid)}` };
  const plan = planFromCatalogue(p.catalogue, found.plan);
  if (!plan)
    return { ...base, mode: "per-instance", rid: found.plan.rid, reason: `rid ${found.plan.rid} not in the catalogue` };
  // The learner counts as the first verified member: its own price is checked against the catalogue's too.
  const others = g.members.filter((m) => m !== learner);
  const sample = pickRandom(others, sampleSize(g.members.length, p.samplePercent) - 1, random);
  out.calls.verify += sample.length;
  const checked = [learner, ...sample];
  await mapLimit(sample, p.concurrency, (m) => ownPrice(p, m, out.known));
  const disagreements = checked.filter((m) => {
    const mine = out.known.get(m.serviceid);
    return mine !== undefined && !agree(priceFromPlan(plan, m), mine);
  });
  for (const m of disagreements) {
    const mine = out.known.get(m.serviceid);
    if (mine)
      out.mismatches.push({
        groupKey: g.key,
        serviceid: String(m.serviceid),
        catalogue: asText(priceFromPlan(plan, m)),
        instance: asText(mine),
      });
  }
  const verified = { ...base, rid: plan.rid, sampled: checked.length };
  if (disagreements.length)
    return {
      ...verified,
      mode: "per-instance",
      plan: null,
      reason: `catalogue mismatch on ${String(disagreements.length)} of ${String(checked.length)} sampled`,
    };
  return { ...verified, mode: "catalogue", plan, reason: null };
}

/** One member's own price list and price; an answer about that member alone is its price (unpriceable). */
async function ownPrice(p: GroupPlanning, m: ListedInstance, known: Map<number, PriceResult>) {
  try {
    const list = await p.hostwinds.getPriceList(m.serviceid);
    known.set(m.serviceid, monthlyPrice({ options: list, instance: m }));
    return { list };
  } catch (err) {
    const failure = classify(err);
    if (failure.action !== "unpriced") throw err;
    known.set(m.serviceid, { kind: "unpriceable", reason: failure.reason });
    return { list: undefined };
  }
}
