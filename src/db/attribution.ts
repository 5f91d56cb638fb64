import type { SqlRunner } from "./client.js";
import { ATTRIBUTION_MATVIEW, SNAPSHOT_MATVIEW } from "./objects.js";

/**
 * Recomputes what the executive views read: the tenant attribution, then the
 * per-tenant snapshot built on it. CONCURRENTLY: readers keep the previous
 * figures until the new ones commit, and are never blocked.
 */
export async function refreshAttribution(db: SqlRunner): Promise<void> {
  await db.$executeRawUnsafe(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${ATTRIBUTION_MATVIEW}`);
  await db.$executeRawUnsafe(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${SNAPSHOT_MATVIEW}`);
}

/** When the figures behind the views were last refreshed (null: no tenant with an active subscription yet). */
export async function attributionRefreshedAt(db: SqlRunner): Promise<Date | null> {
  const rows = await db.$queryRawUnsafe<{ at: Date | null }[]>(
    `SELECT GREATEST((SELECT max(refreshed_at) FROM ${SNAPSHOT_MATVIEW}), (SELECT max(refreshed_at) FROM ${ATTRIBUTION_MATVIEW})) AS at`,
  );
  return rows[0]?.at ?? null;
}
