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
