import { formatCents } from "../../money.js";
import { Prisma, type SqlRunner } from "../client.js";
import {
  historyCte,
  toChanges,
  type ChangeRow,
  type CostChange,
  type CostKind,
  type WriteContext,
} from "./cost-fragments.js";

const TABLE = { vps: Prisma.raw("vps_instances"), ip: Prisma.raw("smtp_ip_addresses") } as const;

/** History of an override: recorded with source "override" whether it was set or cleared. */
const OVERRIDE_CHANGES = Prisma.sql`(SELECT id, old_value, new_value, 'override' AS source FROM upd
        WHERE old_value IS DISTINCT FROM new_value) AS h`;

export interface OverrideChange {
  kind: CostKind;
  id: string;
  /** The override in cents, or null to clear it. */
  cents: bigint | null;
  write: WriteContext;
}

/**
 * Sets or clears a Finance override. Setting it applies it to the cost at once; clearing it
 * leaves the cost for the caller to reprice. Returns no change when the row does not exist.
 */
export async function setOverride(db: SqlRunner, o: OverrideChange): Promise<CostChange[]> {
  const table = TABLE[o.kind];
  const value = o.cents === null ? null : formatCents(o.cents);
  const rows = await db.$queryRaw<ChangeRow[]>(Prisma.sql`
    WITH old AS (SELECT id, approximate_cost FROM ${table} WHERE id = ${o.id}::uuid FOR UPDATE),
     upd AS (
       UPDATE ${table} t SET approximate_cost_override = ${value}::numeric,
              approximate_cost = COALESCE(${value}::numeric, t.approximate_cost),
              approximate_cost_source = CASE WHEN ${value}::numeric IS NULL THEN t.approximate_cost_source ELSE 'override' END,
              approximate_cost_synced_at = now()
         FROM old WHERE t.id = old.id
       RETURNING t.id, old.approximate_cost AS old_value, t.approximate_cost AS new_value, t.approximate_cost_source AS source
     ),
     ${historyCte(o.kind, o.write, { from: OVERRIDE_CHANGES })}
    SELECT id::text, old_value::text, new_value::text, source FROM upd`);
  return toChanges(rows);
}
