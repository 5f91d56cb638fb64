import type { CloseRequest, MonthCloseRecord } from "../../src/db/month-end/month-close.js";
import type { Repositories } from "../../src/db/repositories.js";

/** Month closes in memory: one in force per month, as the close statement's guard keeps it. */
export function fakeMonthClose(closes: CloseRequest[]): Repositories["monthClose"] {
  const record = (r: CloseRequest): MonthCloseRecord => ({
    id: String(closes.indexOf(r) + 1),
    month: r.month,
    closedAt: new Date(),
    closedBy: r.closedBy,
    trigger: r.trigger,
    reason: r.reason,
    runId: r.runId ?? null,
    figuresAsOf: null,
    tenants: 0,
    ...{ vpsCost: "0.00", ipCost: "0.00", totalCost: "0.00", unallocatedCost: "0.00" },
    ...{ revenue: "0.00", margin: "0.00", marginPercent: null },
    ...{ untrackedMonthlyCost: null, untrackedInstances: null },
    ...{ invoicedUsd: null, invoiceAccuracy: null, otherHostwindsSpendUsd: null, paymentsReceived: null },
    ...{ reopenedAt: null, reopenedBy: null, reopenReason: null },
  });
  const inForce = (month: string) => {
    const found = closes.find((c) => c.month === month);
    return found && record(found);
  };
  return {
    inForce: (month) => Promise.resolve(inForce(month)),
    // Any month the fake is asked to close is one cost-sync has history for.
    firstHistoryMonth: () => Promise.resolve("0001-01"),
    close: (r) => {
      const existing = inForce(r.month);
      if (existing) return Promise.resolve({ outcome: "already closed", close: existing });
      closes.push(r);
      return Promise.resolve({ outcome: "closed", close: record(r) });
    },
  };
}
