import type { SqlRunner } from "./client.js";
import { query, statement } from "./sql.js";

const IS_MIGRATED = statement<Record<never, never>, { ok: boolean }>("schema/is-migrated");

/** Whether `cost-sync migrate` has prepared this database. */
export async function isMigrated(db: SqlRunner): Promise<boolean> {
  return (await query(db, IS_MIGRATED, {}))[0]?.ok === true;
}
