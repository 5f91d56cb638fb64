import type { SqlRunner } from "../db/client.js";
import { query, statement, type NoParams } from "../db/sql.js";

const PING = statement<NoParams, { ok: number }>("schema/ping");
const IS_MIGRATED = statement<NoParams, { ok: boolean }>("schema/is-migrated");

/** Whether `cost-sync migrate` has prepared this database. */
export async function isMigrated(db: SqlRunner): Promise<boolean> {
  return (await query(db, IS_MIGRATED, {}))[0]?.ok === true;
}

/** Resolves when PostgreSQL answers. */
export async function ping(db: SqlRunner): Promise<void> {
  await query(db, PING, {});
}
