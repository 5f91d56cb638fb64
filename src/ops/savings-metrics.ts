import { Gauge, type Registry } from "prom-client";
import { CachedRead } from "./cached-read.js";

/** Per kind of savings opportunity, as the composition root reads it (amounts as exact decimal strings). */
export interface SavingsKindFigures {
  kind: string;
  open: number;
  monthlyUsd: string;
  /** Opened (first seen) in the last 24 hours. */
  new: number;
  newMonthlyUsd: string;
}

/**
 * The savings gauges (docs/savings.md, "Where they show"), labelled by kind (five values, never a
 * resource or a tenant), read from one cached read at scrape time. The alert on new opportunities
 * reads `cost_sync_savings_new_monthly_usd`. No sample before a read succeeded.
 */
export function addSavingsMetrics(
  registry: Registry,
  o: { read: () => Promise<SavingsKindFigures[]>; maxAgeMs: number; timeoutMs: number; now: () => number },
): void {
  // A failed read keeps the last values (as the status gauges do); the status read errors counter covers the database.
  const cache = new CachedRead<SavingsKindFigures[]>({ ...o, onError: () => undefined });
  const gauge = (name: string, help: string, value: (k: SavingsKindFigures) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["kind"],
      registers: [registry],
      async collect() {
        const kinds = await cache.get();
        if (!kinds) return;
        this.reset();
        for (const k of kinds) this.set({ kind: k.kind }, value(k));
      },
    });
  gauge("cost_sync_savings_opportunities", "Open savings opportunities of the latest refresh, by kind", (k) => k.open);
  gauge("cost_sync_savings_monthly_usd", "Monthly USD the open savings opportunities would save, by kind", (k) =>
    Number(k.monthlyUsd),
  );
  gauge(
    "cost_sync_savings_new_opportunities",
    "Savings opportunities first seen in the last 24 hours and still open, by kind",
    (k) => k.new,
  );
  gauge(
    "cost_sync_savings_new_monthly_usd",
    "Monthly USD of the savings opportunities first seen in the last 24 hours and still open, by kind",
    (k) => Number(k.newMonthlyUsd),
  );
}
