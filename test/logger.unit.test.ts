import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger, prettyDestination } from "../src/logger.js";

describe("readable logs", () => {
  it("writes one readable line per event, not JSON, through pino-pretty", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cs-log-")), "log.txt");
    const fd = openSync(file, "w");
    try {
      const destination = prettyDestination(fd);
      expect(destination).toBeDefined();
      const log = createLogger("info", destination);
      log.warn({ serviceid: 5004, API: "secret-key-value" }, "vps unpriced; previous cost kept");
      log.debug("below the level");
    } finally {
      closeSync(fd);
    }
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: vps unpriced; previous cost kept .*"serviceid":5004/);
    expect(lines[0]).not.toContain("secret-key-value"); // redaction happens before the prettifier
    expect(() => JSON.parse(lines[0]!) as unknown).toThrow();
  });

  it("writes JSON lines when stderr is not a terminal", () => {
    const root = path.resolve(import.meta.dirname, "..");
    const script = `const { createLogger } = await import("./src/logger.ts"); createLogger("info").info({ n: 1 }, "hello");`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stderr.trim())).toMatchObject({ level: 30, msg: "hello", n: 1, service: "cost-sync" });
  });
});
