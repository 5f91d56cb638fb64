import { Counter, Gauge, type Registry } from "prom-client";
import { ComputedGauge } from "./computed-gauge.js";
import { addBusinessMetrics } from "./business-metrics.js";

export { ComputedGauge } from "./computed-gauge.js";
import { CachedRead } from "./cached-read.js";
import {
  BUDGET_STATUSES,
  checkTextFigures,
  gaugeNumber,
  QUEUE_STATES,
  type StatusSnapshot,
} from "./status-snapshot.js";

/** How the status gauges read the snapshot: see `CreateMetricsOptions` in metrics.ts. */
export interface StatusMetricsOptions {
  readStatus: () => Promise<StatusSnapshot>;
  maxAgeMs: number;
  timeoutMs: number;
  now: () => number;
  onError?: (err: unknown) => void;
}

type Snapshot = () => Promise<StatusSnapshot | undefined>;

/**
 * Registers the gauges of what `status` shows, read from one cached snapshot at
 * scrape time, and the counter of failed reads. Returns the (cached) snapshot
 * for the metrics that combine it with values of their own.
 */
export function addStatusMetrics(registry: Registry, o: StatusMetricsOptions): Snapshot {
  const cache = cachedStatus(registry, o);
  const snapshot = () => cache.get();
  addQueueJobsGauge(registry, snapshot);
  addBudgetsGauge(registry, snapshot);
  addStatusGauges(registry, snapshot, o.now);
  addBusinessMetrics(registry, snapshot);
  new ComputedGauge({
    registry,
    name: "cost_sync_status_snapshot_timestamp_seconds",
    help: "Unix time of the last successful status read: how old the status gauges are",
    value: async () => {
      await snapshot();
      const at = cache.last?.at;
      return at === undefined ? undefined : at / 1000;
    },
  });
  return snapshot;
}

/** The cached status read, with the counter of its failures. */
function cachedStatus(registry: Registry, o: StatusMetricsOptions): CachedRead<StatusSnapshot> {
  const readErrors = new Counter({
    name: "cost_sync_status_read_errors_total",
    help: "Status reads (for the status gauges) that failed or timed out; the gauges kept their last values",
    registers: [registry],
    // Collected after this scrape's read, so that a scrape shows its own failure.
    collect: async () => {
      await cache.get();
    },
  });
  const cache = new CachedRead<StatusSnapshot>({
    read: async () => checkTextFigures(await o.readStatus()),
    maxAgeMs: o.maxAgeMs,
    timeoutMs: o.timeoutMs,
    now: o.now,
    onError: (err) => {
      readErrors.inc();
      o.onError?.(err);
    },
  });
  return cache;
}

function addQueueJobsGauge(registry: Registry, snapshot: Snapshot): void {
  new Gauge({
    name: "cost_sync_queue_jobs",
    help: "Jobs in the cost-sync queue by state (from the status snapshot)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return; // nothing read yet: no samples
      this.reset();
      for (const state of QUEUE_STATES) {
        const n = s.queue[state];
        if (n !== undefined) this.set({ state }, gaugeNumber(n));
      }
    },
  });
}

function addBudgetsGauge(registry: Registry, snapshot: Snapshot): void {
  new Gauge({
    name: "cost_sync_budgets",
    help: "Budgets in force this month by status: ok, at_risk (p90 of the month-end forecast over budget), over (p50 or the cost now over budget)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s?.budgets) return; // nothing read yet: no samples
      this.reset();
      for (const status of BUDGET_STATUSES) this.set({ status }, gaugeNumber(s.budgets[status]));
    },
  });
}

/** The unlabelled gauges, each one figure of the snapshot (no sample until one was read). */
function addStatusGauges(registry: Registry, snapshot: Snapshot, now: () => number): void {
  const gauge = (name: string, help: string, value: (s: StatusSnapshot) => number | bigint | string | undefined) =>
    new ComputedGauge({
      registry,
      name,
      help,
      value: async () => {
        const s = await snapshot();
        const v = s ? value(s) : undefined;
        return v === undefined ? undefined : gaugeNumber(v);
      },
    });
  gauge("cost_sync_failed_jobs", "Failed jobs waiting for retry-failed", (s) => s.failedJobs);
  gauge(
    "cost_sync_unpriced_vps",
    "VPS whose cost could not be priced (they keep their previous cost)",
    (s) => s.unpricedVps,
  );
  gauge("cost_sync_open_anomalies", "Cost anomalies not yet dealt with", (s) => s.openAnomalies);
  gauge(
    "cost_sync_attribution_age_seconds",
    "Seconds since the attribution behind the executive views was recomputed",
    (s) =>
      // At scrape time, so that a cached snapshot does not make the views look fresher;
      // clock skew never makes it negative.
      s.attributionRefreshedAt ? Math.max(0, (now() - s.attributionRefreshedAt.getTime()) / 1000) : undefined,
  );
  // The latest completed reconciliation that checked (docs/untracked.md); no sample before one has.
  gauge(
    "cost_sync_untracked_instances",
    "Hostwinds instances no VPS row names (priced or not), as of the latest reconciliation that checked",
    (s) => s.untracked?.instances,
  );
  gauge(
    "cost_sync_untracked_monthly_cost_usd",
    "Monthly USD of the priced Hostwinds instances no VPS row names (fleet-level)",
    (s) => s.untracked?.monthlyUsd,
  );
  // The daily price watch (docs/hostwinds-client.md): no sample before one has completed.
  gauge(
    "cost_sync_catalogue_price_changes",
    "Catalogue price changes (plan and cycle) found by the latest completed price watch",
    (s) => s.priceWatch?.changes,
  );
  gauge("cost_sync_last_price_watch_timestamp_seconds", "Unix time of the latest completed price watch", (s) =>
    s.priceWatch ? s.priceWatch.lastAt.getTime() / 1000 : undefined,
  );
  gauge(
    "cost_sync_ghost_rows",
    "VPS rows whose serviceid Hostwinds does not list as a live instance; no sample when not checked",
    (s) => s.ghostRows ?? undefined,
  );
}
