import type { SqlRunner } from "../../db/client.js";
import { fitBasis, storedFits, type StoredFit } from "../../db/month-end/forecast-fits.js";
import type { Scope } from "../../db/month-end/forecast-history.js";
import { storeFits } from "../../db/writes/forecast-store.js";
import { historyWindow, seriesIn } from "./history.js";
import { scopeKey } from "./known-changes.js";
import { fitScope, historyOf, type ScopeFit } from "./method.js";

/**
 * The fits of every scope (docs/forecast.md, "Stored fits"), per scope key: read from
 * cost_forecast_fits when they were fitted on the month-end figures as they are now (the same months,
 * no month recomputed since), else fitted on those figures and stored in their place. A scope's
 * forecasts from its stored fit are the same, to the cent, as from a fit made afresh.
 */
export async function fitsOfEveryScope(db: SqlRunner, now: Date): Promise<Map<string, ScopeFit>> {
  const { months } = await historyWindow(db, { now });
  const first = months[0];
  const last = months[months.length - 1];
  const out = new Map<string, ScopeFit>();
  if (first === undefined || last === undefined) return out;
  const basis = await fitBasis(db, { first, last });
  if (basis.stored === basis.current) {
    for (const f of await storedFits(db)) out.set(scopeKey(f.scope, f.scopeId), fromStored(f));
    return out;
  }
  const stored: StoredFit[] = [];
  for (const [k, s] of await seriesIn(db, months)) {
    const fit = fitScope(historyOf(s));
    out.set(k, fit);
    const [scope, ...rest] = k.split(":");
    stored.push(toStored(scope as Scope, rest.join(":"), fit));
  }
  await storeFits(db, { fits: stored, basis: basis.current });
  return out;
}

const fromStored = (f: StoredFit): ScopeFit => ({
  historyMonths: f.historyMonths,
  trend: f.trend === null || f.phi === null ? null : { trend: f.trend, phi: f.phi },
  bounds: f.lo === null || f.hi === null ? null : { lo: f.lo, hi: f.hi },
});

const toStored = (scope: Scope, scopeId: string, f: ScopeFit): StoredFit => ({
  scope,
  scopeId,
  historyMonths: f.historyMonths,
  trend: f.trend?.trend ?? null,
  phi: f.trend?.phi ?? null,
  lo: f.bounds?.lo ?? null,
  hi: f.bounds?.hi ?? null,
});
