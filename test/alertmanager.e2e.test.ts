import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/runtime.js";
import { changeAnomalyState } from "../src/services/anomalies/anomaly-states.js";
import {
  findAlertingTools,
  freePort,
  startReceiver,
  startTool,
  waitFor,
  type ToolProcess,
} from "./support/alerting-tools.js";
import { Harness } from "./support/harness.js";
import { REPO_ROOT } from "./support/promtool.js";

/**
 * From a worker to a person: a real Prometheus scrapes a worker's /metrics, CostSyncOpenAnomalies (as
 * deploy/prometheus/alerts.yml writes it, with `for` shortened) fires, and a real Alertmanager, with
 * deploy/alertmanager/alertmanager.yml (its waits shortened), posts it to a Slack-compatible webhook
 * served by this test; acknowledging the anomaly resolves it the same way. Everything on loopback.
 */
const tools = findAlertingTools();
if (!tools)
  console.warn(
    "SKIPPED alerting end-to-end: prometheus or prometheus-alertmanager not installed (apt-get install prometheus prometheus-alertmanager; .ci/run does it)",
  );

interface SlackPost {
  attachments?: { title?: string; text?: string }[];
}

const h = new Harness();
const dir = mkdtempSync(join(tmpdir(), "cs-alerting-"));
const procs: ToolProcess[] = [];
let rt: Runtime;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
let anomalyId: string;

/** The rule as alerts.yml has it, firing as soon as its expression holds. */
function openAnomaliesRule(): string {
  const text = readFileSync(join(REPO_ROOT, "deploy/prometheus/alerts.yml"), "utf8");
  const start = text.indexOf("      - alert: CostSyncOpenAnomalies");
  const block = text.slice(start, text.indexOf("\n\n", start));
  expect(block).toContain("for: 5m");
  return `groups:\n  - name: e2e\n    rules:\n${block.replace("for: 5m", "for: 0s")}\n`;
}

function alertmanagerConfig(urlFile: string): string {
  const text = readFileSync(join(REPO_ROOT, "deploy/alertmanager/alertmanager.yml"), "utf8");
  for (const s of ["/tmp/alertmanager/slack-webhook-url", "group_wait: 30s", "group_interval: 5m"])
    expect(text).toContain(s);
  return text
    .replace("/tmp/alertmanager/slack-webhook-url", urlFile)
    .replace("group_wait: 30s", "group_wait: 1s")
    .replace("group_interval: 5m", "group_interval: 1s");
}

const posted = (status: string) => () =>
  (receiver!.bodies as SlackPost[]).find((b) =>
    b.attachments?.some((a) => a.title?.startsWith(`[${status}] CostSyncOpenAnomalies`)),
  );
const logs = () => procs.map((p) => p.output().slice(-3000)).join("\n---\n");

beforeAll(async () => {
  if (!tools) return;
  await h.setup();
  const [row] = await h.sql<{ id: string }>(
    `INSERT INTO cost_anomalies (run_id, resource_kind, resource_id, old_value, new_value, change_usd, change_pct)
     VALUES (NULL, 'vps', gen_random_uuid(), 10, 30, 20, 200) RETURNING id::text`,
  );
  anomalyId = row!.id;
  rt = await h.start({ ops: true, statusMaxAgeMs: 0 }, h.config({ OPS_HOST: "127.0.0.1" }));
  const hook = await startReceiver();
  receiver = hook;
  const [promPort, amPort] = [await freePort(), await freePort()];
  const urlFile = join(dir, "slack-webhook-url");
  writeFileSync(urlFile, hook.url, { mode: 0o600 });
  writeFileSync(join(dir, "alertmanager.yml"), alertmanagerConfig(urlFile));
  writeFileSync(join(dir, "rules.yml"), openAnomaliesRule());
  const worker = new URL(rt.opsUrl!).host;
  writeFileSync(
    join(dir, "prometheus.yml"),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [rules.yml]
alerting: { alertmanagers: [ { static_configs: [ { targets: ["127.0.0.1:${amPort}"] } ] } ] }
scrape_configs: [ { job_name: cost-sync, static_configs: [ { targets: ["${worker}"] } ] } ]
`,
  );
  procs.push(
    startTool(tools.alertmanager, [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "am-data")}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      "--cluster.listen-address=",
    ]),
    startTool(tools.prometheus, [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "prom-data")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]),
  );
}, 120_000);

afterAll(async () => {
  for (const p of procs) await p.stop();
  await receiver?.close();
  if (tools) await h.teardown();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(!tools)("from an alert to a person", { timeout: 240_000 }, () => {
  it("an open anomaly fires CostSyncOpenAnomalies and Alertmanager posts it to the webhook", async () => {
    const post = await waitFor("the firing notification", 120_000, posted("FIRING"), logs);
    const [a] = post.attachments!;
    expect(a!.title).toBe("[FIRING] CostSyncOpenAnomalies: Cost anomalies are waiting for review");
    expect(a!.text).toContain("1 cost change(s) beyond both anomaly thresholds");
    expect(a!.text).toContain('Runbook: README.md, Operations runbook: "Cost anomalies"');
  });

  it("acknowledging the anomaly resolves the alert, and the webhook hears that too", async () => {
    await changeAnomalyState(rt.db, "ack", { target: { ids: [anomalyId] }, by: "e2e", note: "expected" });
    const post = await waitFor("the resolved notification", 120_000, posted("RESOLVED"), logs);
    expect(post.attachments![0]!.title).toMatch(/^\[RESOLVED\] CostSyncOpenAnomalies/);
  });
});
