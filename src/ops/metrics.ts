import { readFileSync } from "node:fs";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { addStatusMetrics, ComputedGauge } from "./status-metrics.js";
import type { StatusSnapshot } from "./status-snapshot.js";
import { addSavingsMetrics, type SavingsKindFigures } from "./savings-metrics.js";

export type { StatusSnapshot } from "./status-snapshot.js";

/** What {@link createMetrics} reads the status gauges from, and how often. */
export interface CreateMetricsOptions {
  /**
   * Reads what `cost-sync status` shows (Redis and Postgres), for the status
   * gauges. Without it those gauges are not exported at all. It should bound
   * its own time (statement and command timeouts): a read that never settles
   * leaves the gauges at their last values, since no second read starts while
   * one is under way.
   */
  readStatus?: () => Promise<StatusSnapshot>;
  /** One `readStatus` call per this many ms at most, whatever the number of scrapes (default 15000). */
  statusMaxAgeMs?: number;
  /**
   * How long a scrape waits for a status read before it shows the last values
   * (default 5000: under Prometheus' 10 s scrape timeout).
   */
  statusTimeoutMs?: number;
  /** The clock, in ms since the epoch (tests inject one; default `Date.now`). */
  now?: () => number;
  /**
   * Told why a status read failed (the composition root logs it); each failure
   * also counts in `cost_sync_status_read_errors_total`.
   */
  onStatusReadError?: (err: unknown) => void;
  /** Reads the savings figures per kind for the savings gauges; without it they are not exported. */
  readSavings?: () => Promise<SavingsKindFigures[]>;
}

/**
 * Prometheus metrics of one worker process, on their own registry (no global
 * state). Labels are bounded: queue, job name, outcome, Hostwinds action, job
 * state — never a tenant or a resource id. docs/observability.md lists every
 * metric.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Jobs finished, by queue, job name and outcome. */
  readonly jobs: Counter<"queue" | "job" | "outcome">;
  /** Job duration by job name. */
  readonly jobDuration: Histogram<"job">;
  /** Hostwinds request attempts by action and outcome (`ok` or an error kind). */
  readonly hostwindsRequests: Counter<"action" | "outcome">;
  /** Hostwinds answers that refused the API key; the client increments it. */
  readonly hostwindsAuthFailures: Counter;
  /**
   * Unix time (s) of the last successful reconciliation. The reconciliation
   * job sets it on completion; the status snapshot also carries it (so it is
   * right after a restart). A scrape shows the newer of the two; with neither,
   * no sample.
   */
  readonly lastReconciliation: Gauge;
}

const DEFAULT_STATUS_MAX_AGE_MS = 15_000;
const DEFAULT_STATUS_TIMEOUT_MS = 5_000;

/**
 * Builds the registry with the process metrics, the job and Hostwinds metrics,
 * and (with `readStatus`) the status gauges.
 */
export function createMetrics(o: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  addProcessMetrics(registry);
  const reads = {
    maxAgeMs: o.statusMaxAgeMs ?? DEFAULT_STATUS_MAX_AGE_MS,
    timeoutMs: o.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS,
    now: o.now ?? (() => Date.now()),
  };
  const snapshot = o.readStatus
    ? addStatusMetrics(registry, { ...reads, readStatus: o.readStatus, onError: o.onStatusReadError })
    : () => Promise.resolve(undefined);
  if (o.readSavings) addSavingsMetrics(registry, { ...reads, read: o.readSavings });

  return {
    registry,
    jobs: new Counter({
      name: "cost_sync_jobs_total",
      help: "Jobs finished, by queue, job name and outcome",
      labelNames: ["queue", "job", "outcome"],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: "cost_sync_job_duration_seconds",
      help: "Job duration by job name",
      labelNames: ["job"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    hostwindsRequests: new Counter({
      name: "cost_sync_hostwinds_requests_total",
      help: "Hostwinds request attempts by action and outcome (ok or an error kind)",
      labelNames: ["action", "outcome"],
      registers: [registry],
    }),
    hostwindsAuthFailures: new Counter({
      name: "cost_sync_hostwinds_auth_failures_total",
      help: "Hostwinds answers refusing the API key (Not Authorized)",
      registers: [registry],
    }),
    lastReconciliation: new ComputedGauge({
      registry,
      name: "cost_sync_last_successful_reconciliation_timestamp_seconds",
      help: "Unix time of the last successful reconciliation (the newer of the recorded one and this process's own)",
      value: async () => seconds((await snapshot())?.lastSuccessfulReconciliationAt),
      orDirectlySet: true,
    }),
  };
}

/**
 * prom-client's process and Node.js metrics under their standard names (`process_*`, `nodejs_*`), so
 * that stock Node.js dashboards read them; `cost_sync_build_info` tells the worker's series apart from
 * other Node processes' (rules join on it).
 */
function addProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({
    name: "cost_sync_build_info",
    help: "Always 1: marks a cost-sync worker's series (process_* and nodejs_* are shared names), with its version",
    labelNames: ["version"],
    registers: [registry],
  });
  info.set({ version: PACKAGE_VERSION }, 1);
  // prom-client's nodejs_active_{handles,requests,resources}_total are gauges with a counter's suffix, which
  // `promtool check metrics` lints; they are kept all the same: they are the standard names that stock Node.js
  // dashboards (Grafana's, Kiali's) graph, and the issue (#25) asks for the standard names.
}

/** The standard Node.js names that end in `_total` but are gauges (prom-client's), the only lint `promtool check metrics` reports. */
export const STANDARD_GAUGES_NAMED_TOTAL = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
] as const;

const PACKAGE_VERSION = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
})();

const seconds = (d: Date | null | undefined): number | undefined => (d ? d.getTime() / 1000 : undefined);
