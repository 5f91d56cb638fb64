import { assertDecimal } from "./decimal.js";
import {
  TENANT_SORTS,
  type ExecutivePageData,
  type ExecutivePageOptions,
  type TenantSort,
} from "./executive-page-data.js";
import { assertDate } from "./format.js";
import { assertMonth, validateExtras } from "./validate-extras.js";

const DEFAULT_TOP = 10;
// The page stays a few tens of KB whatever the fleet: a longer list belongs in `report executive --csv`.
const MAX_TOP = 100;

/**
 * Checks the figures before anything is drawn: an amount that is not a decimal string or an
 * invalid date is a bug upstream, and a wrong-looking chart would hide it. Text is not checked
 * (any string is fine: it is escaped where it is shown).
 */
export function validate(data: ExecutivePageData): void {
  assertDate(data.generatedAt, "generatedAt");
  const { attributionRefreshedAt, lastReconciliationAt } = data.freshness;
  if (attributionRefreshedAt !== null) assertDate(attributionRefreshedAt, "freshness.attributionRefreshedAt");
  if (lastReconciliationAt !== null) assertDate(lastReconciliationAt, "freshness.lastReconciliationAt");
  const f = data.fleet;
  for (const key of ["revenue", "attributedCost", "unallocatedCost", "totalCost", "vpsCost", "ipCost"] as const) {
    assertDecimal(f[key], `fleet.${key}`);
  }
  if (f.untrackedCost !== null) assertDecimal(f.untrackedCost, "fleet.untrackedCost");
  if (f.marginPercent !== null) assertDecimal(f.marginPercent, "fleet.marginPercent");
  data.tenants.forEach((t, i) => {
    for (const key of ["revenue", "cost", "profit"] as const) assertDecimal(t[key], `tenants[${String(i)}].${key}`);
    if (t.marginPercent !== null) assertDecimal(t.marginPercent, `tenants[${String(i)}].marginPercent`);
    const c = t.lastClose;
    if (c) {
      for (const key of ["revenue", "cost"] as const) assertDecimal(c[key], `tenants[${i}].lastClose.${key}`);
      if (c.marginPercent !== null) assertDecimal(c.marginPercent, `tenants[${i}].lastClose.marginPercent`);
    }
  });
  (data.trend ?? []).forEach((m, i) => {
    assertMonth(m.month, `trend[${i}].month`);
    assertDecimal(m.revenue, `trend[${String(i)}].revenue`);
    assertDecimal(m.cost, `trend[${String(i)}].cost`);
    if (m.marginPercent !== null) assertDecimal(m.marginPercent, `trend[${String(i)}].marginPercent`);
  });
  validateExtras(data);
}

/**
 * The number of tenants to draw (`topTenants`, an integer from 1 to 100) and the table's order (one of
 * TENANT_SORTS); a RangeError for anything else.
 */
export function topCount(opts: ExecutivePageOptions | undefined): { n: number; sort: TenantSort } {
  const sort = opts?.sort ?? "margin";
  if (!(TENANT_SORTS as readonly string[]).includes(sort))
    throw new RangeError(`executive page: sort must be one of ${TENANT_SORTS.join(", ")}, got ${sort}`);
  const n = opts?.topTenants ?? DEFAULT_TOP;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP) {
    throw new RangeError(
      `executive page: topTenants must be an integer from 1 to ${String(MAX_TOP)}, got ${String(n)}`,
    );
  }
  return { n, sort };
}
