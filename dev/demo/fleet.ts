import type { SqlRunner } from "../../src/db/client.js";
import { query } from "../../src/db/sql.js";
import type { BillingCycle } from "../../src/hostwinds/schemas.js";
import { Q } from "./statements.js";

/** One demo VPS: its Hostwinds plan and cycle, its owner (a tenant index, or null: shared), IPs and status. */
interface DemoVps {
  label: string;
  rid: string;
  cycle: BillingCycle | "hourly";
  owner: number | null;
  ips: number;
  status: string;
}

/** Every case pricing and attribution must handle, in seven VPS. */
export const FLEET: readonly DemoVps[] = [
  { label: "acme-1 (dedicated, monthly)", rid: "10", cycle: "monthly", owner: 0, ips: 2, status: "active" },
  { label: "acme-2 (dedicated, quarterly)", rid: "11", cycle: "quarterly", owner: 0, ips: 2, status: "active" },
  { label: "birch-1 (dedicated, hourly)", rid: "10", cycle: "hourly", owner: 1, ips: 1, status: "active" },
  { label: "cobalt-1 (dedicated, custom plan)", rid: "20", cycle: "monthly", owner: 2, ips: 3, status: "active" },
  { label: "shared-1 (shared, semiannual)", rid: "11", cycle: "semiannually", owner: null, ips: 3, status: "active" },
  {
    label: "delta-1 (annual, cycle not offered)",
    rid: "12",
    cycle: "annually",
    owner: 3,
    ips: 1,
    status: "provisioning",
  },
  { label: "old-1 (decommissioned)", rid: "10", cycle: "monthly", owner: 1, ips: 1, status: "decommissioned" },
];

const IP_STATES = ["warming", "warmed", "assigned", "degraded"];

/**
 * Inserts the fleet's VPS rows and their IPs, as the application would: the database triggers
 * turn each insert into a sync. Returns the VPS ids, the IPs of the shared VPS, and the IPs that carry
 * their owner's mail (by owner): every IP of a live dedicated VPS but its third, which stays idle.
 */
export async function insertFleet(db: SqlRunner, o: { serviceIds: number[]; tenants: string[] }) {
  const vpsIds: string[] = [];
  const sharedIps: string[] = [];
  const ownedIps = new Map<string, string[]>();
  for (const [i, v] of FLEET.slice(0, o.serviceIds.length).entries()) {
    const [row] = await query(db, Q.insertVps, {
      serviceId: String(o.serviceIds[i]),
      status: v.status,
      tenantId: v.owner === null ? null : (o.tenants[v.owner] ?? null),
      label: v.label,
      monthlyCost: i === 0 ? "9.99" : null,
    });
    if (!row) throw new Error("VPS insert returned no id");
    vpsIds.push(row.id);
    for (let k = 0; k < v.ips; k++) {
      const address = `198.51.100.${String(i * 10 + k + 1)}`;
      const [ip] = await query(db, Q.insertIp, {
        vpsId: row.id,
        address,
        status: IP_STATES[k % IP_STATES.length] ?? "warming",
      });
      if (ip && v.owner === null) sharedIps.push(ip.id);
      const owner = v.owner === null ? undefined : o.tenants[v.owner];
      if (ip && owner && v.status !== "decommissioned" && k < 2) ownedIps.set(owner, [...(ownedIps.get(owner) ?? []), ip.id]); // prettier-ignore
    }
  }
  return { vpsIds, sharedIps, ownedIps };
}
