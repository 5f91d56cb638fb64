import type { SqlRunner } from "../../db/client.js";
import { tenantById, tenantsNamed, tenantsNear, type TenantNameRow } from "../../db/read-models/tenant-names.js";
import { InputError } from "../errors.js";

/** A tenant as every report and command names it: its uuid and its one display name. */
export interface TenantRef {
  id: string;
  /** The tenant's first company's name, else its own name (view tenant_display_names); the uuid when neither is known. */
  name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How many candidates an ambiguous name or a near miss lists. */
const LISTED = 10;

const listed = (rows: TenantNameRow[]): string => rows.map((r) => `${r.name} (${r.id})`).join(", ");

/**
 * The tenant `text` names: a uuid, or a name (trimmed, compared case-insensitively with the
 * display name and with the tenant's own name). Throws an InputError when it names no tenant
 * (with the tenants whose names contain it, if any) or several (listing them as `name (uuid)`).
 */
export async function resolveTenant(db: SqlRunner, text: string): Promise<TenantRef> {
  const wanted = text.trim();
  if (wanted === "") throw new InputError("no tenant given: pass a tenant uuid or name");
  if (UUID.test(wanted)) {
    const row = await tenantById(db, wanted.toLowerCase());
    if (!row) throw new InputError(`no tenant with id ${wanted.toLowerCase()}`);
    return row;
  }
  const rows = await tenantsNamed(db, wanted, LISTED + 1);
  const [only, second] = rows;
  if (only && !second) return only;
  if (only) {
    const more = rows.length > LISTED ? ` and more` : "";
    throw new InputError(
      `tenant name ${JSON.stringify(wanted)} is ambiguous: ${listed(rows.slice(0, LISTED))}${more}; use the uuid`,
    );
  }
  const near = await tenantsNear(db, wanted, LISTED);
  const hint = near.length ? ` (names containing it: ${listed(near)})` : "";
  throw new InputError(`no tenant named ${JSON.stringify(wanted)}${hint}`);
}
