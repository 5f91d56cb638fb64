import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";

/** A tenant as people read it: its uuid and its one display name (view tenant_display_names). */
export interface TenantNameRow {
  id: string;
  name: string;
}

const BY_ID = statement<{ id: string }, TenantNameRow>("tenants/by-id");
const BY_NAME = statement<{ name: string; limit: number }, TenantNameRow>("tenants/by-name");
const NEAR_NAME = statement<{ name: string; limit: number }, TenantNameRow>("tenants/near-name");

/** The tenant with this uuid (in tenants, or known to the attribution only), or undefined. */
export async function tenantById(db: SqlRunner, id: string): Promise<TenantNameRow | undefined> {
  const [row] = await query(db, BY_ID, { id });
  return row;
}

/** Tenants whose display name or own name equals `name` (trimmed, any case): at most `limit`. */
export function tenantsNamed(db: SqlRunner, name: string, limit: number): Promise<TenantNameRow[]> {
  return query(db, BY_NAME, { name, limit });
}

/** Tenants whose display name or own name contains `name` (trimmed, any case): at most `limit`. */
export function tenantsNear(db: SqlRunner, name: string, limit: number): Promise<TenantNameRow[]> {
  return query(db, NEAR_NAME, { name, limit });
}
