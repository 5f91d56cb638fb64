import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A process of its own: what a log line looks like depends on whether stderr is a terminal.
describe("readable logs", () => {
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
