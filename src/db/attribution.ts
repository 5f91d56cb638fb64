import type { SqlRunner } from "./client.js";
import { ATTRIBUTION_MATVIEW } from "./objects.js";

/**
 * Recomputes the tenant attribution behind the executive views. CONCURRENTLY:
 * readers keep the previous figures until the new ones commit.
 */
export async function refreshAttribution(db: SqlRunner): Promise<void> {
  await db.$executeRawUnsafe(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${ATTRIBUTION_MATVIEW}`);
}

/** When the attribution was last recomputed (null: never, or no cost at all). */
export async function attributionRefreshedAt(db: SqlRunner): Promise<Date | null> {
  const rows = await db.$queryRawUnsafe<{ at: Date | null }[]>(`SELECT max(refreshed_at) AS at FROM ${ATTRIBUTION_MATVIEW}`);
  return rows[0]?.at ?? null;
}
