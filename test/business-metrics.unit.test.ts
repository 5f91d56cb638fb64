import { describe, expect, it } from "vitest";
import type { BusinessFigures } from "../src/db/read-models/status.js";
import { createMetrics, type StatusSnapshot } from "../src/ops/metrics.js";
import { sampleValue } from "./support/exposition.js";

const FIGURES: BusinessFigures = {
  fallenToMonitor: 2,
  fallenToCritical: 1,
  negativeMarginTenants: 3,
  fleetModelledCostUsd: "1234.56",
  fleetRevenueUsd: "1000.00",
  fleetMarginUsd: "-234.56",
  invoiceMonth: "2026-10-01",
  invoiceAccuracy: "0.9312",
  invoicedUsd: "1190.00",
  lastClosedMonth: "2026-10-01",
  previousMonthClosed: false,
  fleetForecastUsd: "1301.20",
};

const snapshot = (business: BusinessFigures | null | undefined): StatusSnapshot => ({
  queue: {},
  failedJobs: 0,
  unpricedVps: 0,
  openAnomalies: 0,
  attributionRefreshedAt: null,
  lastSuccessfulReconciliationAt: null,
  business,
});

const scrape = (business: BusinessFigures | null | undefined) =>
  createMetrics({ readStatus: () => Promise.resolve(snapshot(business)) }).registry.metrics();

describe("business gauges", () => {
  it("show the business figures: fallen tenants by health, negative margins, money, invoice, month close", async () => {
    const text = await scrape(FIGURES);
    expect(sampleValue(text, "cost_sync_tenants_health_fallen", { health: "monitor" })).toBe(2);
    expect(sampleValue(text, "cost_sync_tenants_health_fallen", { health: "critical" })).toBe(1);
    expect(sampleValue(text, "cost_sync_tenants_negative_margin")).toBe(3);
    expect(sampleValue(text, "cost_sync_fleet_modelled_cost_usd")).toBe(1234.56);
    expect(sampleValue(text, "cost_sync_fleet_forecast_usd")).toBe(1301.2);
    expect(sampleValue(text, "cost_sync_fleet_revenue_usd")).toBe(1000);
    expect(sampleValue(text, "cost_sync_fleet_margin_usd")).toBe(-234.56);
    expect(sampleValue(text, "cost_sync_invoiced_usd")).toBe(1190);
    expect(sampleValue(text, "cost_sync_invoice_accuracy_ratio")).toBe(0.9312);
    expect(sampleValue(text, "cost_sync_invoice_month_timestamp_seconds")).toBe(
      Date.parse("2026-10-01T00:00:00Z") / 1000,
    );
    expect(sampleValue(text, "cost_sync_last_closed_month_timestamp_seconds")).toBe(
      Date.parse("2026-10-01T00:00:00Z") / 1000,
    );
    expect(sampleValue(text, "cost_sync_previous_month_closed")).toBe(0);
  });

  it("have no sample where there is nothing to say: no close, no invoice, nothing read", async () => {
    const none = await scrape({
      ...FIGURES,
      fallenToMonitor: null,
      fallenToCritical: null,
      invoiceMonth: null,
      invoiceAccuracy: null,
      invoicedUsd: null,
      lastClosedMonth: null,
      previousMonthClosed: true,
      fleetForecastUsd: null,
    });
    expect(sampleValue(none, "cost_sync_fleet_forecast_usd")).toBeUndefined();
    expect(sampleValue(none, "cost_sync_tenants_health_fallen", { health: "monitor" })).toBeUndefined();
    expect(sampleValue(none, "cost_sync_invoice_accuracy_ratio")).toBeUndefined();
    expect(sampleValue(none, "cost_sync_last_closed_month_timestamp_seconds")).toBeUndefined();
    expect(sampleValue(none, "cost_sync_previous_month_closed")).toBe(1);
    const unread = await scrape(undefined);
    expect(sampleValue(unread, "cost_sync_tenants_negative_margin")).toBeUndefined();
    expect(sampleValue(unread, "cost_sync_fleet_margin_usd")).toBeUndefined();
  });

  it("a blank or NaN amount is a failed read, never a 0", async () => {
    for (const bad of ["", "NaN"]) {
      const text = await scrape({ ...FIGURES, fleetMarginUsd: bad });
      expect(sampleValue(text, "cost_sync_status_read_errors_total")).toBe(1);
      expect(sampleValue(text, "cost_sync_fleet_margin_usd")).toBeUndefined();
    }
  });
});
