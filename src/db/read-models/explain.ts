import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/**
 * What `explain` reads: a VPS with what decides its cost, its IPs, and how the attribution splits
 * each resource's cost among tenants (per resource, by the rules of cost_attribution_by_tenant).
 */

export interface ExplainedVps {
  id: string;
  serviceid: string | null;
  status: string | null;
  tenantId: string | null;
  cost: string | null;
  source: string | null;
  syncedAt: Date | null;
  override: string | null;
  unpricedReason: string | null;
}

export interface ExplainedIp {
  id: string;
  address: string;
  status: string | null;
  cost: string | null;
  source: string | null;
  override: string | null;
  /** Distinct tenants with an active or warming assignment on it. */
  tenants: number;
}

/** One tenant's part of one resource's cost; tenantId null = unallocated. */
export interface Share {
  kind: "vps" | "ip";
  resourceId: string;
  /** The VPS's serviceid or the IP's address. */
  label: string | null;
  tenantId: string | null;
  resourceCost: string;
  /** This tenant's weight in the split, out of `weights` (assignments for a VPS, 1 per tenant for an IP). */
  weight: number;
  weights: number;
  share: string;
}

export interface TenantAttribution {
  id: string;
  name: string | null;
  vpsCost: string | null;
  ipCost: string | null;
  totalCost: string | null;
  refreshedAt: Date | null;
}

const VPS = statement<{ id: string }, ExplainedVps>("explain/vps");
const VPS_IPS = statement<{ id: string }, ExplainedIp>("explain/vps-ips");
const SHARES = statement<{ ids: string[] }, Share>("explain/shares");
const TENANT = statement<{ tenantId: string }, TenantAttribution>("explain/tenant");
const TENANT_RESOURCES = statement<{ tenantId: string }, { id: string }>("explain/tenant-resources");

export async function explainVps(db: SqlRunner, id: string): Promise<ExplainedVps | undefined> {
  return (await query(db, VPS, { id }))[0];
}

export function vpsIps(db: SqlRunner, id: string): Promise<ExplainedIp[]> {
  return query(db, VPS_IPS, { id });
}

/** How the cost of each resource in `ids` splits among tenants, computed now from the base tables. */
export function sharesOf(db: SqlRunner, ids: string[]): Promise<Share[]> {
  return query(db, SHARES, { ids });
}

/** The tenant and its row in tenant_cost_attribution; undefined when neither exists. */
export async function tenantAttribution(db: SqlRunner, tenantId: string): Promise<TenantAttribution | undefined> {
  return (await query(db, TENANT, { tenantId }))[0];
}

/** The ids of every VPS and IP whose cost may fall on the tenant. */
export async function tenantResources(db: SqlRunner, tenantId: string): Promise<string[]> {
  return (await query(db, TENANT_RESOURCES, { tenantId })).map((r) => r.id);
}
