import type { SqlRunner } from "../client.js";
import { execute, query, statement, type NoParams } from "../sql.js";

const REFRESH_ATTRIBUTION = statement("attribution/refresh-attribution");
const REFRESH_SNAPSHOT = statement("attribution/refresh-snapshot");
const REFRESHED_AT = statement<NoParams, { at: Date | null }>("attribution/refreshed-at");
const SKIPPED = statement<NoParams, SkippedCosts>("attribution/skipped-costs");
const VACUUM = statement("attribution/vacuum-attribution");

/** Rows of one kind whose cost the attribution left out (NaN), with the first 20 ids. */
export interface SkippedCosts {
  kind: "vps" | "ip";
  n: number;
  ids: string[];
}

/**
 * Recomputes what the executive views read: the tenant attribution, then the per-tenant snapshot
 * built on it. CONCURRENTLY: readers keep the previous figures until the new ones commit. A NaN
 * cost that slipped past the constraints is left out rather than failing every tenant's refresh
 * (migration ..._attribution_skips_nan); the rows left out are returned for the caller to log.
 */
export async function refreshAttribution(db: SqlRunner): Promise<SkippedCosts[]> {
  await execute(db, REFRESH_ATTRIBUTION, {});
  await execute(db, REFRESH_SNAPSHOT, {});
  await execute(db, VACUUM, {});
  return (await query(db, SKIPPED, {})).filter((s) => s.n > 0);
}

/** One line naming the rows a refresh left out, or undefined when none was. */
export function describeSkipped(skipped: readonly SkippedCosts[]): string | undefined {
  if (skipped.length === 0) return undefined;
  const parts = skipped.map(
    (s) => `${String(s.n)} ${s.kind === "vps" ? "VPS" : "IP"} (${s.ids.join(", ")}${s.n > s.ids.length ? ", …" : ""})`,
  );
  return `left out of the attribution, their cost is NaN: ${parts.join("; ")}; the cost constraint is missing (cost-sync verify, then migrate)`;
}

/** When the figures behind the views were last refreshed (null: no tenant with an active subscription yet). */
export async function attributionRefreshedAt(db: SqlRunner): Promise<Date | null> {
  return (await query(db, REFRESHED_AT, {}))[0]?.at ?? null;
}
