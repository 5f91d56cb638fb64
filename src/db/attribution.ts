import type { SqlRunner } from "./client.js";
import { execute, query, statement, type NoParams } from "./sql.js";

const REFRESH_ATTRIBUTION = statement("attribution/refresh-attribution");
const REFRESH_SNAPSHOT = statement("attribution/refresh-snapshot");
const REFRESHED_AT = statement<NoParams, { at: Date | null }>("attribution/refreshed-at");

/**
 * Recomputes what the executive views read: the tenant attribution, then the per-tenant snapshot
 * built on it. CONCURRENTLY: readers keep the previous figures until the new ones commit.
 */
export async function refreshAttribution(db: SqlRunner): Promise<void> {
  await execute(db, REFRESH_ATTRIBUTION, {});
  await execute(db, REFRESH_SNAPSHOT, {});
}

/** When the figures behind the views were last refreshed (null: no tenant with an active subscription yet). */
export async function attributionRefreshedAt(db: SqlRunner): Promise<Date | null> {
  return (await query(db, REFRESHED_AT, {}))[0]?.at ?? null;
}
