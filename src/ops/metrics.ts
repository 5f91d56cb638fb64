import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Prometheus metrics of one worker process, on their own registry (no global
 * state). Labels are bounded: queue, job name, outcome, Hostwinds action —
 * never a tenant or a resource id.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "cost_sync_process_" });
  return {
    registry,
    jobs: new Counter({ name: "cost_sync_jobs_total", help: "Jobs finished, by queue, job name and outcome", labelNames: ["queue", "job", "outcome"], registers: [registry] }),
    jobDuration: new Histogram({
      name: "cost_sync_job_duration_seconds",
      help: "Job duration by job name",
      labelNames: ["job"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    hostwindsRequests: new Counter({ name: "cost_sync_hostwinds_requests_total", help: "Hostwinds request attempts by action and outcome", labelNames: ["action", "outcome"], registers: [registry] }),
    lastReconciliation: new Gauge({ name: "cost_sync_last_successful_reconciliation_timestamp_seconds", help: "Unix time of the last successful reconciliation", registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
