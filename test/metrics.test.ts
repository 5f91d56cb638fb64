import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { createMetrics, STANDARD_GAUGES_NAMED_TOTAL, type StatusSnapshot } from "../src/ops/metrics.js";
import { metricTypes, sampleValue } from "./support/exposition.js";
import { findPromtool, runPromtool, skippedLine } from "./support/promtool.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;
const T0 = Date.parse("2026-11-20T12:00:00Z");

const snapshot = (over: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  queue: { waiting: 3, active: 1, delayed: 2, failed: 4, completed: 120 },
  failedJobs: 4,
  unpricedVps: 2,
  openAnomalies: 5,
  attributionRefreshedAt: new Date(T0 - 90_000),
  lastSuccessfulReconciliationAt: new Date("2026-11-01T03:12:00Z"),
  untracked: { instances: 3, monthlyUsd: "27.45" },
  ghostRows: 2,
  ...over,
});

/** Metrics on a clock the test moves, reading status from `read`. */
function setup(read: () => Promise<StatusSnapshot>, o: { statusTimeoutMs?: number } = {}) {
  const clock = { t: T0 };
  const readStatus = vi.fn(read);
  const onStatusReadError = vi.fn();
  const metrics = createMetrics({ readStatus, statusMaxAgeMs: 15_000, now: () => clock.t, onStatusReadError, ...o });
  return { clock, readStatus, onStatusReadError, metrics, scrape: () => metrics.registry.metrics() };
}

describe("status gauges", () => {
  it("show the snapshot, read once per max age however many scrapes, concurrent ones sharing one read", async () => {
    const { clock, readStatus, scrape } = setup(() => Promise.resolve(snapshot()));
    const [first, second] = await Promise.all([scrape(), scrape()]);
    expect(readStatus).toHaveBeenCalledTimes(1);
    expect(sampleValue(second, "cost_sync_failed_jobs")).toBe(4);
    expect(sampleValue(first, "cost_sync_queue_jobs", { state: "waiting" })).toBe(3);
    expect(sampleValue(first, "cost_sync_queue_jobs", { state: "failed" })).toBe(4);
    expect(sampleValue(first, "cost_sync_queue_jobs", { state: "prioritized" })).toBeUndefined(); // not in the snapshot
    expect(sampleValue(first, "cost_sync_failed_jobs")).toBe(4);
    expect(sampleValue(first, "cost_sync_unpriced_vps")).toBe(2);
    expect(sampleValue(first, "cost_sync_open_anomalies")).toBe(5);
    expect(sampleValue(first, "cost_sync_attribution_age_seconds")).toBe(90);
    expect(sampleValue(first, "cost_sync_last_successful_reconciliation_timestamp_seconds")).toBe(
      Date.parse("2026-11-01T03:12:00Z") / 1000,
    );
    expect(sampleValue(first, "cost_sync_untracked_instances")).toBe(3);
    expect(sampleValue(first, "cost_sync_untracked_monthly_cost_usd")).toBe(27.45);
    expect(sampleValue(first, "cost_sync_status_snapshot_timestamp_seconds")).toBe(T0 / 1000);
    expect(sampleValue(first, "cost_sync_status_read_errors_total")).toBe(0);

    clock.t = T0 + 14_999;
    const cached = await scrape();
    expect(readStatus).toHaveBeenCalledTimes(1);
    // The age is computed at scrape time: a cached snapshot does not make the views look fresher.
    expect(sampleValue(cached, "cost_sync_attribution_age_seconds")).toBe(104.999);

    clock.t = T0 + 15_000;
    readStatus.mockResolvedValue(snapshot({ failedJobs: 0, queue: { waiting: 0 } }));
    const fresh = await scrape();
    expect(readStatus).toHaveBeenCalledTimes(2);
    expect(sampleValue(fresh, "cost_sync_failed_jobs")).toBe(0);
    expect(sampleValue(fresh, "cost_sync_queue_jobs", { state: "waiting" })).toBe(0);
    expect(sampleValue(fresh, "cost_sync_queue_jobs", { state: "failed" })).toBeUndefined(); // gone from the snapshot, gone from the gauge
  });

  it("read again when the clock is set backwards instead of waiting for it to catch up", async () => {
    const { clock, readStatus, scrape } = setup(() => Promise.resolve(snapshot()));
    await scrape();
    clock.t = T0 - 3_600_000;
    await scrape();
    expect(readStatus).toHaveBeenCalledTimes(2);
  });

  it("leave out what is unknown instead of showing 0", async () => {
    const { scrape } = setup(() =>
      Promise.resolve(
        snapshot({
          attributionRefreshedAt: null,
          lastSuccessfulReconciliationAt: null,
          untracked: null,
          ghostRows: null,
        }),
      ),
    );
    const text = await scrape();
    for (const name of [
      "cost_sync_attribution_age_seconds",
      "cost_sync_last_successful_reconciliation_timestamp_seconds",
      "cost_sync_untracked_instances",
      "cost_sync_untracked_monthly_cost_usd",
      "cost_sync_ghost_rows",
    ]) {
      expect(sampleValue(text, name), name).toBeUndefined();
    }
    expect(sampleValue(text, "cost_sync_failed_jobs")).toBe(4);
  });

  it("take SQL counts as bigint", async () => {
    const { scrape } = setup(() => Promise.resolve(snapshot({ unpricedVps: 7n as unknown as number })));
    expect(sampleValue(await scrape(), "cost_sync_unpriced_vps")).toBe(7);
  });

  it("keep the last values and count the error when a read fails, and read again only after the max age", async () => {
    const { clock, readStatus, onStatusReadError, scrape } = setup(() => Promise.resolve(snapshot()));
    await scrape();
    readStatus.mockRejectedValue(new Error("connection terminated"));
    clock.t = T0 + 15_000;
    const afterFailure = await scrape();
    expect(readStatus).toHaveBeenCalledTimes(2);
    expect(sampleValue(afterFailure, "cost_sync_failed_jobs")).toBe(4);
    expect(sampleValue(afterFailure, "cost_sync_queue_jobs", { state: "waiting" })).toBe(3);
    expect(sampleValue(afterFailure, "cost_sync_status_read_errors_total")).toBe(1);
    expect(sampleValue(afterFailure, "cost_sync_status_snapshot_timestamp_seconds")).toBe(T0 / 1000); // how old the values are
    expect(onStatusReadError).toHaveBeenCalledWith(expect.objectContaining({ message: "connection terminated" }));

    // A failing database is not asked again on every scrape either.
    clock.t = T0 + 20_000;
    expect(sampleValue(await scrape(), "cost_sync_status_read_errors_total")).toBe(1);
    expect(readStatus).toHaveBeenCalledTimes(2);

    // A snapshot that does not hold what the gauges need is a failed read too (a blank is not $0).
    readStatus.mockResolvedValue(snapshot({ failedJobs: 9, untracked: { instances: 1, monthlyUsd: "" } }));
    clock.t = T0 + 30_000;
    const invalid = await scrape();
    expect(sampleValue(invalid, "cost_sync_status_read_errors_total")).toBe(2);
    expect(sampleValue(invalid, "cost_sync_failed_jobs")).toBe(4);
  });

  it("before any successful read, have no samples (and the scrape still answers)", async () => {
    const { scrape } = setup(() => Promise.reject(new Error("Redis unreachable")));
    const text = await scrape();
    expect(sampleValue(text, "cost_sync_failed_jobs")).toBeUndefined();
    expect(sampleValue(text, "cost_sync_queue_jobs", { state: "waiting" })).toBeUndefined();
    expect(sampleValue(text, "cost_sync_status_snapshot_timestamp_seconds")).toBeUndefined();
    expect(sampleValue(text, "cost_sync_status_read_errors_total")).toBe(1);
    expect(sampleValue(text, "process_start_time_seconds")).toBeGreaterThan(0);
  });

  it("do not hold a scrape past statusTimeoutMs, start no second read meanwhile, and take the late answer", async () => {
    const { clock, readStatus, scrape } = setup(() => Promise.resolve(snapshot()), { statusTimeoutMs: 20 });
    await scrape();
    let answer: (s: StatusSnapshot) => void = () => {};
    readStatus.mockImplementation(() => new Promise<StatusSnapshot>((resolve) => (answer = resolve)));
    clock.t = T0 + 15_000;
    const during = await scrape();
    expect(sampleValue(during, "cost_sync_failed_jobs")).toBe(4);
    expect(sampleValue(during, "cost_sync_status_read_errors_total")).toBe(1);

    clock.t = T0 + 20_000;
    answer(snapshot({ failedJobs: 11 }));
    await vi.waitFor(async () => expect(sampleValue(await scrape(), "cost_sync_failed_jobs")).toBe(11));
    expect(readStatus).toHaveBeenCalledTimes(2);
    expect(sampleValue(await scrape(), "cost_sync_status_read_errors_total")).toBe(1); // the late answer is not a second error

    clock.t = T0 + 30_000; // another slow read...
    await scrape();
    clock.t = T0 + 90_000; // ...still under way long past the max age: no second one beside it
    const stillWaiting = await scrape();
    expect(readStatus).toHaveBeenCalledTimes(3);
    expect(sampleValue(stillWaiting, "cost_sync_status_read_errors_total")).toBe(2);
    expect(sampleValue(stillWaiting, "cost_sync_failed_jobs")).toBe(11);
  });
});

describe("last successful reconciliation", () => {
  const RECORDED = Date.parse("2026-11-01T03:12:00Z") / 1000;

  it("comes from the snapshot after a restart, and the newer of the snapshot and the job's own set() wins", async () => {
    const { clock, metrics, readStatus, scrape } = setup(() => Promise.resolve(snapshot()));
    const name = "cost_sync_last_successful_reconciliation_timestamp_seconds";
    expect(sampleValue(await scrape(), name)).toBe(RECORDED); // never set in this process

    const justNow = T0 / 1000 + 5;
    metrics.lastReconciliation.set(justNow); // the job completed; the cached snapshot is older
    expect(sampleValue(await scrape(), name)).toBe(justNow);

    readStatus.mockResolvedValue(snapshot({ lastSuccessfulReconciliationAt: new Date((justNow + 3600) * 1000) }));
    clock.t = T0 + 15_000; // another worker completed a later one
    expect(sampleValue(await scrape(), name)).toBe(justNow + 3600);
  });

  it("without a status provider: no sample until the job sets it", async () => {
    const metrics = createMetrics();
    const name = "cost_sync_last_successful_reconciliation_timestamp_seconds";
    expect(sampleValue(await metrics.registry.metrics(), name)).toBeUndefined();
    metrics.lastReconciliation.set(RECORDED);
    expect(sampleValue(await metrics.registry.metrics(), name)).toBe(RECORDED);
    expect(metricTypes(await metrics.registry.metrics()).has("cost_sync_failed_jobs")).toBe(false);
  });
});

/** A registry with every metric family holding samples. */
async function fullExposition(): Promise<string> {
  const { metrics, scrape } = setup(() => Promise.resolve(snapshot()));
  metrics.jobs.inc({ queue: "cost-sync", job: "reconcile", outcome: "completed" });
  metrics.jobDuration.observe({ job: "reconcile" }, 42);
  metrics.hostwindsRequests.inc({ action: "get_instances", outcome: "auth" });
  metrics.hostwindsAuthFailures.inc();
  return scrape();
}

describe("exposition", () => {
  it("keeps Node's default metrics under their standard names (nodejs_active_*_total too), marks the worker", async () => {
    const text = await fullExposition();
    const types = metricTypes(text);
    expect(types.get("process_cpu_seconds_total")).toBe("counter");
    expect(types.get("process_start_time_seconds")).toBe("gauge");
    expect(types.get("process_resident_memory_bytes")).toBe("gauge");
    expect(types.get("nodejs_eventloop_lag_p99_seconds")).toBe("gauge");
    expect(types.get("nodejs_active_handles")).toBe("gauge");
    // Stock Node.js dashboards graph these three: prom-client's gauges, named _total.
    for (const name of STANDARD_GAUGES_NAMED_TOTAL) expect(types.get(name)).toBe("gauge");
    expect(sampleValue(text, "nodejs_active_handles_total")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, "cost_sync_build_info", { version: VERSION })).toBe(1);
    expect([...types.keys()].filter((n) => /^cost_sync_(process|nodejs)_/.test(n))).toEqual([]);
    expect([...types].filter(([n, t]) => n.endsWith("_total") && t !== "counter").map(([n]) => n)).toEqual(
      expect.arrayContaining([...STANDARD_GAUGES_NAMED_TOTAL]),
    );
    expect([...types].filter(([n, t]) => n.endsWith("_total") && t !== "counter")).toHaveLength(3);
    expect([...types.keys()].filter((n) => !/^(cost_sync|process|nodejs)_/.test(n))).toEqual([]);
  });

  const promtool = findPromtool();
  if (!promtool) console.warn(skippedLine("check metrics"));

  it.skipIf(!promtool)(
    "passes promtool check metrics but for prom-client's three standard gauges named _total, with and without a status provider",
    async () => {
      const lint = STANDARD_GAUGES_NAMED_TOTAL.map((n) => `${n} non-counter metrics should not have "_total" suffix\n`);
      for (const text of [await fullExposition(), await createMetrics().registry.metrics()]) {
        const r = runPromtool(promtool!, ["check", "metrics"], text);
        expect(r.output).toBe(lint.join("")); // nothing of the worker's own
        expect(r.status).toBe(3); // promtool's exit code for lint problems only
      }
    },
  );
});
