import { defineConfig } from "vitest/config";

// One template database per test run (see test/support/pg.ts): set here, in the main
// process, so that the global setup and every test worker agree on the name.
process.env.COST_SYNC_TEST_TEMPLATE_DB ??= `cost_sync_test_template_${process.pid}`;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    // Each file gets its own database and queue prefix, so files run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: "silent", COST_SYNC_TEST_TEMPLATE_DB: process.env.COST_SYNC_TEST_TEMPLATE_DB },
  },
});
