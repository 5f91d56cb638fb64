import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { failOnPgDeprecations, notePgDeprecationsIn } from "./support/pg-deprecations.js";
import { PG_ADMIN_URL } from "./support/pg.js";

const ROOT = path.resolve(import.meta.dirname, "..");
// pg 8 prints its warning when a query joins a queue that already holds one: the third at once.
const CONCURRENT = `SELECT pg_sleep(0.05)`;

describe("the pg deprecation guard (test/setup/pg-deprecation-guard.ts)", () => {
  it("catches a query sent to a client still executing one, in this process", async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await Promise.all([c.query(CONCURRENT), c.query(CONCURRENT), c.query(CONCURRENT)]);
    } finally {
      await c.end();
    }
    await new Promise((resolve) => setImmediate(resolve)); // the warning is emitted on the next tick
    // Checked here, so that this test's own afterEach finds nothing left.
    expect(failOnPgDeprecations).toThrow(/already executing a query is deprecated and will be removed in pg@9\.0/);
    expect(failOnPgDeprecations).not.toThrow();
  });

  it("catches the same warning on the stderr of a process a test started", () => {
    const script = `import pg from "pg"; const c = new pg.Client(${JSON.stringify(PG_ADMIN_URL)}); await c.connect();
      await Promise.all([1, 2, 3].map(() => c.query(${JSON.stringify(CONCURRENT)}))); await c.end();`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    notePgDeprecationsIn(r.stderr, "the child");
    expect(failOnPgDeprecations).toThrow(/the child printed: .*already executing a query/);
  });

  it("makes vitest fail a test file that queries one client concurrently", () => {
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "test/fixtures/pg-guard/vitest.config.ts"],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "1" }, timeout: 120_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/pg printed a deprecation warning/);
    expect(r.stdout).toMatch(/Tests {2}1 failed/);
  });
});
