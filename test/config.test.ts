import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config/env.js";

describe("config", () => {
  it("applies the documented defaults and freezes the result", () => {
    const cfg = loadConfig({ DATABASE_URL: "postgresql://x@127.0.0.1/db" });
    expect(cfg.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(cfg.HOSTWINDS_API_URL).toBe("https://clients.hostwinds.com/cloud/api.php");
    expect(cfg.HOSTWINDS_REQUESTS_PER_SECOND).toBe(2);
    expect(cfg.SMTP_IP_MONTHLY_COST_USD).toBe("4.99");
    expect(cfg.QUEUE_PREFIX).toBe("cost-sync");
    expect(cfg.RECONCILE_CRON).toBe("0 3 1 * *");
    expect(cfg.HOSTWINDS_API_KEY).toBeUndefined();
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it("names every offending variable and never prints a secret value", () => {
    const secret = "hw-secret-key-123456";
    let error: unknown;
    try {
      loadConfig({
        HOSTWINDS_API_KEY: secret,
        SMTP_IP_MONTHLY_COST_USD: "4.999",
        HOSTWINDS_REQUESTS_PER_SECOND: "-3",
        REDIS_URL: "http://nope",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const vars = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(vars).toEqual(["DATABASE_URL", "HOSTWINDS_REQUESTS_PER_SECOND", "REDIS_URL", "SMTP_IP_MONTHLY_COST_USD"]);
    expect((error as Error).message).not.toContain(secret);
  });

  it.each([
    ["HOSTWINDS_TIMEOUT_MS", "99999999999", "must be at most 600000"],
    ["SHUTDOWN_TIMEOUT_MS", "2147483648", "must be at most 2147483647"],
    ["WORKER_LOCK_DURATION_MS", "10000000000", "must be at most 3600000"],
    ["WORKER_LOCK_DURATION_MS", "10", "must be at least 1000"],
    ["OPS_PORT", "70000", "must be at most 65535"],
    ["OPS_PORT", "abc", "must be a number"],
    ["RECONCILE_CHUNK_SIZE", "1.5", "must be a whole number"],
    ["SMTP_IP_MONTHLY_COST_USD", "10000.00", "must be at most 9999.99 (what smtp_ip_addresses.approximate_cost holds)"],
    ["SMTP_IP_MONTHLY_COST_USD", "99999999.99", "must be at most 9999.99"],
    ["HOSTWINDS_API_URL", "file:///etc/passwd", "must be an http(s) URL"],
    ["HOSTWINDS_API_URL", "ftp://clients.hostwinds.com/cloud/api.php", "must be an http(s) URL"],
    ["HOSTWINDS_API_URL", "javascript:alert(1)", "must be an http(s) URL"],
    ["HOSTWINDS_API_URL", "http://clients.hostwinds.com/cloud/api.php", "must use https outside loopback"],
    ["POSTHOG_HOST", "file:///tmp/x", "must be an http(s) URL"],
    ["POSTHOG_HOST", "http://eu.posthog.com", "must use https outside loopback"],
    ["RECONCILE_CRON", "61 * * * *", "is not a valid cron expression"],
    ["RECONCILE_CRON", "every day", "must be a cron expression of 5 or 6 fields"],
  ])("refuses %s=%s, naming the bound crossed", (variable, value, message) => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: "postgresql://x@127.0.0.1/db", [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems.find((p) => p.variable === variable);
    expect(problem?.message).toContain(message);
  });

  it("allows plain http to loopback (the simulator), and elsewhere only when stated", () => {
    expect(
      loadConfig({ DATABASE_URL: "postgresql://x@h/d", HOSTWINDS_API_URL: "http://127.0.0.1:8080/api" })
        .HOSTWINDS_API_URL,
    ).toBe("http://127.0.0.1:8080/api");
    const proxied = loadConfig({
      DATABASE_URL: "postgresql://x@h/d",
      HOSTWINDS_API_URL: "http://proxy.internal/api",
      ALLOW_PLAIN_HTTP: "true",
    });
    expect(proxied.ALLOW_PLAIN_HTTP).toBe(true);
  });

  it("treats an empty value as unset", () => {
    const cfg = loadConfig({ DATABASE_URL: "postgres://a@b/c", QUEUE_PREFIX: "", LOG_LEVEL: "" });
    expect(cfg.QUEUE_PREFIX).toBe("cost-sync");
    expect(cfg.LOG_LEVEL).toBe("info");
  });

  it("makes the CLI exit 1 before connecting anywhere, naming the variable", () => {
    const r = spawnSync(process.execPath, ["bin/cost-sync.mjs", "verify"], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none",
        SMTP_IP_MONTHLY_COST_USD: "-3",
        HOSTWINDS_API_KEY: "do-not-print-me",
      },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("SMTP_IP_MONTHLY_COST_USD");
    expect(r.stderr).not.toContain("do-not-print-me");
    expect(r.stderr).not.toMatch(/ECONNREFUSED/);
  });
});
