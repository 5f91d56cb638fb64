import type { SqlRunner } from "../client.js";
import { execute, statement } from "../sql.js";
import type { Scope } from "../month-end/forecast-history.js";
import type { StoredFit } from "../month-end/forecast-fits.js";

/** One stored forecast month of one scope (cost_forecasts); amounts: decimal strings. */
export interface StoredForecastRow {
  scope: Scope;
  scopeId: string;
  month: string;
  runRate: string | null;
  p10: string | null;
  p50: string;
  p90: string | null;
  historyMonths: number;
}

const STORE = statement<{
  scopes: string[];
  scopeIds: string[];
  rowScopes: string[];
  rowIds: string[];
  months: string[];
  runRates: (string | null)[];
  p10s: (string | null)[];
  p50s: string[];
  p90s: (string | null)[];
  historyMonths: number[];
  at: Date;
}>("forecast/store");

/** Replaces the stored forecasts of every scope in `rows` (and of `scopes`, which may have none now). */
export function storeForecasts(
  db: SqlRunner,
  o: { scopes: { scope: Scope; scopeId: string }[]; rows: StoredForecastRow[]; at: Date },
): Promise<number> {
  const r = o.rows;
  return execute(db, STORE, {
    scopes: o.scopes.map((s) => s.scope),
    scopeIds: o.scopes.map((s) => s.scopeId),
    rowScopes: r.map((x) => x.scope),
    rowIds: r.map((x) => x.scopeId),
    months: r.map((x) => `${x.month}-01`),
    runRates: r.map((x) => x.runRate),
    p10s: r.map((x) => x.p10),
    p50s: r.map((x) => x.p50),
    p90s: r.map((x) => x.p90),
    historyMonths: r.map((x) => x.historyMonths),
    at: o.at,
  });
}

const STORE_FITS = statement<{
  scopes: string[];
  scopeIds: string[];
  historyMonths: number[];
  trends: (number | null)[];
  phis: (number | null)[];
  los: (number | null)[];
  his: (number | null)[];
  basis: string;
}>("forecast/store-fits");

/** Replaces every stored fit (cost_forecast_fits) and the basis they were fitted on, in one statement. */
export function storeFits(db: SqlRunner, o: { fits: StoredFit[]; basis: string }): Promise<number> {
  const f = o.fits;
  return execute(db, STORE_FITS, {
    scopes: f.map((x) => x.scope),
    scopeIds: f.map((x) => x.scopeId),
    historyMonths: f.map((x) => x.historyMonths),
    trends: f.map((x) => x.trend),
    phis: f.map((x) => x.phi),
    los: f.map((x) => x.lo),
    his: f.map((x) => x.hi),
    basis: o.basis,
  });
}
