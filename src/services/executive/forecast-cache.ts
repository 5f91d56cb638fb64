import type { SqlRunner } from "../../db/client.js";
import { forecastForPage, type PageForecast } from "../forecast/page-figures.js";

/** What the page's forecast is read for: the attribution refresh its figures come from, and the moment. */
export interface ForecastKey {
  attributionRefreshedAt: Date | null;
  now: Date;
}

export type PageForecastReader = (key: ForecastKey) => Promise<PageForecast>;

const HOUR_MS = 3_600_000;

/**
 * The executive page's fleet forecast, computed once per attribution refresh (and at most once an
 * hour within one), not on every request: the forecast reads the whole cost history, and the page's
 * other figures only change with the attribution anyway. The hour bounds what depends on the clock
 * alone (how much of the month has passed, a known change whose date has come). Requests at the same
 * time share one computation; a failed one is not kept.
 */
export function cachedPageForecast(db: SqlRunner, months: number): PageForecastReader {
  let cached: { key: string; value: Promise<PageForecast> } | undefined;
  return (k) => {
    const key = `${k.attributionRefreshedAt?.toISOString() ?? "never"}@${String(Math.floor(k.now.getTime() / HOUR_MS))}`;
    if (cached?.key === key) return cached.value;
    const value = forecastForPage(db, { months, now: k.now });
    const entry = { key, value };
    cached = entry;
    value.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return value;
  };
}
