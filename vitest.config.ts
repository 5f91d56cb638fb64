import { configDefaults, defineConfig } from "vitest/config";

// One template database per test run (see test/support/pg.ts): set here, in the main
// process, so that the global setup and every test worker agree on the name.
process.env.COST_SYNC_TEST_TEMPLATE_DB ??= `cost_sync_test_template_${process.pid}`;

const UNIT = "test/**/*.unit.test.ts";

export default defineConfig({
  test: {
    // Each file gets its own database and queue prefix, so files run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: "silent", COST_SYNC_TEST_TEMPLATE_DB: process.env.COST_SYNC_TEST_TEMPLATE_DB },
    projects: [
      {
        // Pure specs: no database, Redis, network or process (test/setup/unit-isolation.ts refuses
        // them). They run first, so a broken decision is reported in seconds, not after the suites
        // that start workers; and they need no template database.
        extends: true,
        test: {
          name: "unit",
          include: [UNIT],
          setupFiles: ["test/setup/unit-isolation.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Everything that talks to the real PostgreSQL and Redis or starts processes.
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, UNIT],
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/setup/pg-deprecation-guard.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
