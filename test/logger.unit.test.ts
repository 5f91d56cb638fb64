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
});
