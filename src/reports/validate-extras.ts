import { assertDecimal } from "./decimal.js";
import type { ExecutivePageData } from "./executive-page-data.js";
import { assertDate } from "./format.js";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const BUDGET_STATUSES = new Set(["ok", "at risk", "over"]);

/** Throws a TypeError naming `field` unless `value` is a YYYY-MM month. */
export function assertMonth(value: unknown, field: string): void {
  if (typeof value !== "string" || !MONTH.test(value))
    throw new TypeError(`executive page: ${field} is not YYYY-MM: ${JSON.stringify(value)}`);
}

function assertCount(value: unknown, field: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new TypeError(`executive page: ${field} is not a count: ${JSON.stringify(value)}`);
}

const optionalDecimal = (v: string | null, field: string) => {
  if (v !== null) assertDecimal(v, field);
};

/** Checks the optional parts (last close, anomalies, invoices, budgets, savings, forecast) as `validate` does the rest. */
export function validateExtras(data: ExecutivePageData): void {
  const c = data.lastClose;
  if (c) {
    assertMonth(c.month, "lastClose.month");
    assertDate(c.closedAt, "lastClose.closedAt");
    assertDecimal(c.revenue, "lastClose.revenue");
    assertDecimal(c.totalCost, "lastClose.totalCost");
    optionalDecimal(c.marginPercent, "lastClose.marginPercent");
    optionalDecimal(c.untrackedCost, "lastClose.untrackedCost");
    assertCount(c.tenants, "lastClose.tenants");
  }
  const a = data.anomalies;
  if (a) {
    assertCount(a.open, "anomalies.open");
    if (a.openSinceClose !== null) assertCount(a.openSinceClose, "anomalies.openSinceClose");
    a.latest.forEach((x, i) => {
      assertDate(x.detectedAt, `anomalies.latest[${i}].detectedAt`);
      optionalDecimal(x.oldValue, `anomalies.latest[${i}].oldValue`);
      assertDecimal(x.newValue, `anomalies.latest[${i}].newValue`);
      assertDecimal(x.change, `anomalies.latest[${i}].change`);
    });
  }
  const inv = data.invoiceAccuracy;
  if (inv) {
    assertMonth(inv.month, "invoiceAccuracy.month");
    optionalDecimal(inv.accuracy, "invoiceAccuracy.accuracy");
    assertDecimal(inv.invoiced, "invoiceAccuracy.invoiced");
    if (inv.previous) {
      assertMonth(inv.previous.month, "invoiceAccuracy.previous.month");
      optionalDecimal(inv.previous.accuracy, "invoiceAccuracy.previous.accuracy");
    }
  }
  data.budgets?.items.forEach((b, i) => {
    assertDecimal(b.budget, `budgets.items[${i}].budget`);
    assertDecimal(b.forecast, `budgets.items[${i}].forecast`);
    if (!BUDGET_STATUSES.has(b.status))
      throw new TypeError(`executive page: budgets.items[${i}].status is not ok, at risk or over`);
  });
  if (data.savings) validateSavings(data.savings);
  (data.forecast ?? []).forEach((m, i) => {
    assertMonth(m.month, `forecast[${i}].month`);
    assertDecimal(m.cost, `forecast[${i}].cost`);
    optionalDecimal(m.low, `forecast[${i}].low`);
    optionalDecimal(m.high, `forecast[${i}].high`);
  });
}

function validateSavings(s: NonNullable<ExecutivePageData["savings"]>): void {
  assertDecimal(s.totalMonthly, "savings.totalMonthly");
  assertCount(s.count, "savings.count");
  optionalDecimal(s.shareOfFleet ?? null, "savings.shareOfFleet");
  s.top.forEach((x, i) => assertDecimal(x.monthly, `savings.top[${i}].monthly`));
}
