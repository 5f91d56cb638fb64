import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/promtool.js";

const compose = readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8");

/** A service's block of docker-compose.yml (two-space indented name, up to the next service). */
function service(name: string): string {
  const start = compose.indexOf(`\n  ${name}:\n`);
  expect(start, name).toBeGreaterThan(0);
  const next = compose.slice(start + 1).search(/\n {2}[a-z-]+:\n|\nvolumes:/);
  return compose.slice(start + 1, start + 1 + next);
}

/** The folded (`>-`) shell script of a service's entrypoint, as compose hands it to sh (`$$` is `$`). */
function entrypointScript(block: string): string {
  const lines = block.split("\n");
  const at = lines.findIndex((l) => l.trim() === "- >-");
  const body: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (!/^ {8}\S/.test(l)) break;
    body.push(l.trim());
  }
  return body.join(" ").replace(/\$\$/g, "$");
}

const sh = (script: string, env: Record<string, string>) =>
  spawnSync("/bin/sh", ["-c", script], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8", timeout: 10_000 });

describe("docker-compose.yml", () => {
  it("Grafana without GRAFANA_ADMIN_PASSWORD stops once with one clear line, no restart loop", () => {
    const block = service("grafana");
    expect(block).toMatch(/\n {4}restart: on-failure\n/);
    const script = entrypointScript(block).replace("exec /run.sh", "echo grafana-started");
    const missing = sh(script, { GF_SECURITY_ADMIN_PASSWORD: "" });
    // Exit 0 is a stop, not a failure: `restart: on-failure` does not start it again.
    expect(missing.status).toBe(0);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe(
      "grafana: not started: set GRAFANA_ADMIN_PASSWORD (12 characters or more), then docker compose up -d grafana\n",
    );
    expect(sh(script, { GF_SECURITY_ADMIN_PASSWORD: "short" }).stderr).toMatch(/set GRAFANA_ADMIN_PASSWORD/);
    const set = sh(script, { GF_SECURITY_ADMIN_PASSWORD: "a-long-enough-password" });
    expect(set).toMatchObject({ status: 0, stdout: "grafana-started\n", stderr: "" });
  });

  it("Alertmanager gets its Slack-compatible webhook URL from ALERTMANAGER_SLACK_WEBHOOK_URL, or stops saying so", () => {
    const block = service("alertmanager");
    expect(block).toMatch(/\n {4}restart: on-failure\n/);
    expect(block).toContain("ALERTMANAGER_SLACK_WEBHOOK_URL: ${ALERTMANAGER_SLACK_WEBHOOK_URL:-}");
    expect(readFileSync(join(REPO_ROOT, "deploy/alertmanager/alertmanager.yml"), "utf8")).toContain(
      "api_url_file: /tmp/alertmanager/slack-webhook-url",
    );
    const dir = mkdtempSync(join(tmpdir(), "cs-am-"));
    try {
      const script = entrypointScript(block)
        .replace(/\/tmp\/alertmanager/g, dir)
        .replace(/exec \/bin\/alertmanager .*$/, "echo alertmanager-started");
      const missing = sh(script, { ALERTMANAGER_SLACK_WEBHOOK_URL: "" });
      expect(missing).toMatchObject({ status: 0, stdout: "" });
      expect(missing.stderr).toMatch(/^alertmanager: not started: set ALERTMANAGER_SLACK_WEBHOOK_URL .*\n$/);
      const url = "https://hooks.slack.com/services/T000/B000/XXXX";
      const set = sh(script, { ALERTMANAGER_SLACK_WEBHOOK_URL: url });
      expect(set).toMatchObject({ status: 0, stdout: "alertmanager-started\n" });
      expect(readFileSync(join(dir, "slack-webhook-url"), "utf8")).toBe(url);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Prometheus sends its alerts to that Alertmanager", () => {
    const prom = readFileSync(join(REPO_ROOT, "deploy/prometheus/prometheus.yml"), "utf8");
    expect(prom).toMatch(
      /alerting:\n {2}alertmanagers:\n {4}- static_configs:\n {8}- targets: \["alertmanager:9093"\]/,
    );
  });

  it("the README's Docker step names every variable compose reads", () => {
    const vars = [...new Set([...compose.matchAll(/\$\{([A-Z_]+)[:}]/g)].map((m) => m[1]!))];
    expect(vars).toEqual(
      expect.arrayContaining(["HOSTWINDS_API_KEY", "GRAFANA_ADMIN_PASSWORD", "ALERTMANAGER_SLACK_WEBHOOK_URL"]),
    );
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const step = readme.slice(
      readme.indexOf("- **Deploy with Docker**"),
      readme.indexOf("\n## ", readme.indexOf("- **Deploy with Docker**")),
    );
    expect(vars.filter((v) => !step.includes(`\`${v}\``))).toEqual([]);
  });
});
