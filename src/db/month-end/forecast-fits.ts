import type { SqlRunner } from "../client.js";
import { query, statement } from "../sql.js";
import type { Scope } from "./forecast-history.js";

/**
 * The stored fits of the forecast of every scope (docs/forecast.md, "Stored fits"): per scope, the
 * damped trend and the backtest error quantiles fitted on the month-end figures the basis names.
 */

/** One scope's fit. `trend`/`phi` null: no trend (short history); `lo`/`hi` null: no interval. */
export interface StoredFit {
  scope: Scope;
  scopeId: string;
  historyMonths: number;
  trend: number | null;
  phi: number | null;
  lo: number | null;
  hi: number | null;
}

const BASIS = statement<{ first: string; last: string }, { current: string; stored: string | null }>(
  "forecast/fit-basis",
);
const FITS = statement<Record<string, never>, StoredFit>("forecast/fits");

/**
 * The basis the fits of the window `first`..`last` (YYYY-MM) must have (the month-end figures as they
 * are now), and the basis of the stored fits (null: none stored).
 */
export async function fitBasis(
  db: SqlRunner,
  o: { first: string; last: string },
): Promise<{ current: string; stored: string | null }> {
  const r = (await query(db, BASIS, { first: `${o.first}-01`, last: `${o.last}-01` }))[0];
  return { current: r?.current ?? "", stored: r?.stored ?? null };
}

/** Every stored fit. */
export function storedFits(db: SqlRunner): Promise<StoredFit[]> {
  return query(db, FITS, {});
}
