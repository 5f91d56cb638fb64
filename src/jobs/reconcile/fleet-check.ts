import type { GhostCheck } from "../../db/writes/untracked.js";
import type { InstanceList } from "../../hostwinds/instance-list.js";
import type { ListedInstance } from "../../hostwinds/schemas.js";

/**
 * The comparison of a run's get_instances with the VPS rows (docs/untracked.md), decided without
 * I/O: which listed instances no row names (untracked), and what the ghost check rests on.
 */

/**
 * The statuses of this billing family (WHMCS) that mean a service is no longer billed. Any other
 * status (Active, Suspended, Pending, or one nobody documented) counts as spend: a suspended server
 * is still invoiced, and an unknown word must not hide money leaving.
 */
const ENDED = new Set(["cancelled", "terminated", "fraud", "completed"]);

export const hasEnded = (status: string | undefined): boolean =>
  status !== undefined && ENDED.has(status.trim().toLowerCase());

export interface FleetCheck {
  /** Instances that are spend and that no VPS row named when the run listed them. */
  untracked: ListedInstance[];
  /** Elements that could not be read, naming a service id no row names: untracked, their price unknown. */
  unreadable: { serviceid: string; reason: string }[];
  /** What the ghost check rests on; `notChecked` says why it cannot be made. */
  ghosts: Omit<GhostCheck, "runId">;
  notChecked?: string;
}

export interface FleetFacts {
  listed: InstanceList;
  /** Why each unreadable element was rejected, by the service id it names (rejectedByServiceId). */
  rejected: ReadonlyMap<number, string>;
  /** Every service id a VPS row names (digits without leading zeros). */
  referenced: ReadonlySet<string>;
  /** The database's clock just before the listing. */
  listedAt: Date;
}

export function checkFleet(f: FleetFacts): FleetCheck {
  const live: string[] = [];
  const ended: { serviceid: string; status: string }[] = [];
  const untracked: ListedInstance[] = [];
  for (const i of f.listed.instances) {
    const sid = String(i.serviceid);
    if (hasEnded(i.status)) ended.push({ serviceid: sid, status: i.status ?? "" });
    else {
      live.push(sid);
      if (!f.referenced.has(sid)) untracked.push(i);
    }
  }
  const readable = new Set(f.listed.instances.map((i) => i.serviceid));
  const unreadable: FleetCheck["unreadable"] = [];
  for (const [sid, reason] of f.rejected) {
    // Listed, so its row (if any) is no ghost, whatever we could not read about it.
    live.push(String(sid));
    if (!readable.has(sid) && !f.referenced.has(String(sid))) unreadable.push({ serviceid: String(sid), reason });
  }
  const notChecked = incompleteListing(f);
  const ghosts = { checked: notChecked === undefined, listedAt: f.listedAt, live, ended };
  return { untracked, unreadable, ghosts, ...(notChecked ? { notChecked } : {}) };
}

/**
 * Why the listing cannot prove a row a ghost: an element whose service id we could not read might
 * be any row's instance, and an empty account beside VPS rows is more likely a wrong answer than
 * every server gone.
 */
function incompleteListing(f: FleetFacts): string | undefined {
  const anonymous = f.listed.rejected.filter((r) => r.serviceid === undefined || !/^\d{1,15}$/.test(r.serviceid));
  if (anonymous.length > 0)
    return `${String(anonymous.length)} element(s) of get_instances named no readable serviceid`;
  if (f.listed.instances.length === 0 && f.listed.rejected.length === 0 && f.referenced.size > 0)
    return "get_instances listed no instance while VPS rows name some";
  return undefined;
}
