import type { SqlRunner } from "../client.js";
import { execute, statement } from "../sql.js";
import type { Scope } from "../month-end/forecast-history.js";

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
