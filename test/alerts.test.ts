import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../src/ops/metrics.js";
import { queryableNames } from "./support/exposition.js";
import { findPromtool, REPO_ROOT, runPromtool, skippedLine } from "./support/promtool.js";

const ALERTS = "deploy/prometheus/alerts.yml";
const CONFIG = "deploy/prometheus/prometheus.yml";
const RULE_TESTS = "deploy/prometheus/alerts.test.yml";
const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");

/** Every series name a worker with a status provider exposes. */
async function exposedNames(): Promise<Set<string>> {
  const metrics = createMetrics({
    readStatus: () =>
      Promise.resolve({
        queue: {},
        failedJobs: 0,
        unpricedVps: 0,
        openAnomalies: 0,
        attributionRefreshedAt: null,
        lastSuccessfulReconciliationAt: null,
      }),
    readSavings: () =>
      Promise.resolve([{ kind: "idle_ip", open: 1, monthlyUsd: "4.99", new: 1, newMonthlyUsd: "4.99" }]),
  });
  return queryableNames(await metrics.registry.metrics());
}

describe("alert rules", () => {
  it("name only metrics the worker exposes", async () => {
    const exposed = await exposedNames();
    const used = new Set(read(ALERTS).match(/\b(cost_sync|process|nodejs)_[a-z0-9_]+/g));
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((n) => !exposed.has(n))).toEqual([]);
  });

  it("point every runbook annotation at an entry of the README's operations runbook", () => {
    const readme = read("README.md");
    const runbook = readme.slice(
      readme.indexOf("## Operations runbook"),
      readme.indexOf("\n## ", readme.indexOf("## Operations runbook") + 1),
    );
    const entries = [...read(ALERTS).matchAll(/runbook: 'README\.md, Operations runbook: "([^"]+)"'/g)].map(
      (m) => m[1]!,
    );
    const alerts = read(ALERTS).match(/- alert: /g) ?? [];
    expect(entries).toHaveLength(alerts.length);
    expect(entries.filter((e) => !runbook.includes(`**${e}**`))).toEqual([]);
  });

  const promtool = findPromtool();
  if (!promtool) {
    for (const what of ["check rules", "check config", "test rules"]) console.warn(skippedLine(what));
  }

  it.skipIf(!promtool)("pass promtool check rules and check config", () => {
    const rules = runPromtool(promtool!, ["check", "rules", ALERTS]);
    expect(rules.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(rules.status).toBe(0);
    const config = runPromtool(promtool!, ["check", "config", CONFIG]);
    expect(config.output).toContain("is valid prometheus config file syntax");
    expect(config.status).toBe(0);
  });

  it.skipIf(!promtool)(
    "pass their unit tests (promtool test rules): stale and missing reconciliation, auth failures, ...",
    () => {
      const r = runPromtool(promtool!, ["test", "rules", RULE_TESTS]);
      expect(r.output).toContain("SUCCESS");
      expect(r.output).not.toContain("FAILED");
      expect(r.status).toBe(0);
    },
  );
});
