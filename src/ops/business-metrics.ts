import { Gauge, type Registry } from "prom-client";
import type { BusinessFigures } from "../db/read-models/status.js";
import { gaugeNumber, type StatusSnapshot } from "./status-snapshot.js";
import { ComputedGauge } from "./computed-gauge.js";

type Snapshot = () => Promise<StatusSnapshot | undefined>;

/** A figure as the business gauges read it (`gaugeNumber`); null = no sample. */
type Figure = number | string | null | undefined;

/** A calendar day (YYYY-MM-DD) as the Unix time of its UTC midnight. */
const dayStart = (d: string | null): number | null => (d === null ? null : Date.parse(`${d}T00:00:00Z`) / 1000);

/**
 * The business alerts' gauges and the money gauges (docs/observability.md), read from the same
 * cached status snapshot: fleet-level counts and sums, never a tenant. A figure there is nothing to
 * say about (no close yet, no invoice imported) has no sample, so no alert reads it as 0. Money is
 * exact in the database; a gauge is a float by Prometheus' nature, for graphs and thresholds only.
 */
export function addBusinessMetrics(registry: Registry, snapshot: Snapshot): void {
  const business = async () => (await snapshot())?.business ?? undefined;
  const gauge = (name: string, help: string, value: (b: BusinessFigures) => Figure) =>
    new ComputedGauge({
      registry,
      name,
      help,
      value: async () => {
        const b = await business();
        const v = b ? value(b) : undefined;
        return v == null ? undefined : gaugeNumber(v);
      },
    });
  new Gauge({
    name: "cost_sync_tenants_health_fallen",
    help: "Tenants whose business health is now Monitor or Critical and was better at the latest month close, by health now",
    labelNames: ["health"],
    registers: [registry],
    async collect() {
      const b = await business();
      this.reset();
      if (b?.fallenToMonitor != null) this.set({ health: "monitor" }, gaugeNumber(b.fallenToMonitor));
      if (b?.fallenToCritical != null) this.set({ health: "critical" }, gaugeNumber(b.fallenToCritical));
    },
  });
  for (const [name, help, value] of FIGURES) gauge(name, help, value);
}

/** The unlabelled gauges: name, help, and the figure each shows. */
const FIGURES: [string, string, (b: BusinessFigures) => Figure][] = [
  [
    "cost_sync_tenants_negative_margin",
    "Tenants whose monthly subscription revenue is below their modelled cost",
    (b) => b.negativeMarginTenants,
  ],
  [
    "cost_sync_fleet_modelled_cost_usd",
    "Modelled monthly Hostwinds cost of the whole fleet, attributed + unallocated; untracked spend not in it (USD)",
    (b) => b.fleetModelledCostUsd,
  ],
  [
    "cost_sync_fleet_forecast_usd",
    "The fleet's month-end modelled cost forecast (p50) for the current UTC month, as the worker's periodic refresh last stored it (USD)",
    (b) => b.fleetForecastUsd,
  ],
  ["cost_sync_fleet_revenue_usd", "Monthly subscription revenue of all tenants (USD)", (b) => b.fleetRevenueUsd],
  [
    "cost_sync_fleet_margin_usd",
    "Fleet monthly revenue minus modelled cost (USD; negative = loss)",
    (b) => b.fleetMarginUsd,
  ],
  [
    "cost_sync_invoiced_usd",
    "What Hostwinds invoiced for the latest imported invoice month (USD)",
    (b) => b.invoicedUsd,
  ],
  [
    "cost_sync_invoice_accuracy_ratio",
    "1 - sum|modelled - invoiced| / sum invoiced, for the latest imported invoice month",
    (b) => b.invoiceAccuracy,
  ],
  [
    "cost_sync_invoice_month_timestamp_seconds",
    "Unix time of the first day of the latest imported invoice month",
    (b) => dayStart(b.invoiceMonth),
  ],
  [
    "cost_sync_last_closed_month_timestamp_seconds",
    "Unix time of the first day of the latest month with a close in force",
    (b) => dayStart(b.lastClosedMonth),
  ],
  [
    "cost_sync_previous_month_closed",
    "1 when the month before the current UTC month has a close in force, else 0",
    (b) => (b.previousMonthClosed ? 1 : 0),
  ],
];
