/**
 * `npm run bench` (full scale) / `npm run bench -- --quick` (a tenth);
 * `-- --only=invoices` runs the invoice import section alone, `-- --only=savings` the savings refresh,
 * `-- --only=forecast` the forecast section (with the served executive page's work on its history),
 * `-- --only=csv` the CSV parsers side by side (no database); `-- --keep` keeps the run's database
 * (its name is printed) for profiling afterwards.
 * Every figure is measured in this one run, side by side, and printed with its
 * target. The benchmark never fails the test suite; it exits 0 unless it breaks.
 *
 * Each section is a module of bench/sections/; they share one context (context.ts).
 */
import { cpus } from "node:os";
import { createReport, DB_NAME, settings } from "./context.js";
import { printFigures } from "./measure.js";
import { budgetedSection, perInstanceSection } from "./sections/catalogue.js";
import { csvParsersSection } from "./sections/csv-parsers.js";
import { eventLatencySection } from "./sections/event-latency.js";
import { forecastSection } from "./sections/forecast.js";
import { invoicesSection, priceFleetForInvoices } from "./sections/invoices.js";
import { ipConstantSection } from "./sections/ip-constant.js";
import { monthCloseSection } from "./sections/month-close.js";
import { naiveSection } from "./sections/naive.js";
import { reconcileSection } from "./sections/reconcile.js";
import { savingsSection } from "./sections/savings.js";
import { dropDatabase, setUp } from "./sections/setup.js";
import { viewsSection } from "./sections/views.js";
import { startWorker } from "./sections/worker.js";

async function main() {
  const started = performance.now();
  const quick = process.argv.includes("--quick");
  const report = createReport();
  report.log(
    `cost-sync benchmark (${quick ? "quick: one tenth of the data" : "full scale"}) on ${cpus().length} cores`,
  );
  report.log(
    "  worker: compiled JS, WORKER_CONCURRENCY=32, RECONCILE_CHUNK_SIZE=1000, RECONCILE_CONCURRENCY=32, NODE_OPTIONS=--max-old-space-size=128 --max-semi-space-size=2, no Hostwinds rate limit",
  );
  // `--only=invoices`: the invoice import alone, on the generated fleet (no worker, no reconciliation).
  // `--only=forecast`: the forecast alone, on a generated history in a database of its own.
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  if (only !== undefined && !["invoices", "savings", "forecast", "csv"].includes(only))
    throw new Error(`--only knows four sections, invoices, savings, forecast and csv; got ${only}`);
  if (only === "csv") {
    await csvParsersSection(settings(quick), report);
    printFigures(report.figures, `cost-sync benchmark, csv parsers, ${quick ? "quick" : "full"} scale`);
    return;
  }
  if (only === "forecast") {
    await forecastSection(settings(quick), report);
    printFigures(report.figures, `cost-sync benchmark, forecast section, ${quick ? "quick" : "full"} scale`);
    return;
  }
  const ctx = await setUp(settings(quick), report);
  if (only === undefined) {
    await allSections(ctx);
    await forecastSection(settings(quick), report);
  } else if (only === "savings") await savingsSection(ctx);
  else {
    await priceFleetForInvoices(ctx);
    await invoicesSection(ctx);
  }
  await ctx.c.end();
  await ctx.sim.close();
  // `--keep`: the run's database stays, for profiling its statements (EXPLAIN) afterwards; dropped by hand.
  if (process.argv.includes("--keep")) report.log(`kept database ${DB_NAME}: drop it with DROP DATABASE ${DB_NAME}`);
  else await dropDatabase();
  printFigures(
    report.figures,
    `cost-sync benchmark, ${quick ? "quick" : "full"} scale, ${cpus().length} cores, ${new Date().toISOString()} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}

async function allSections(ctx: Awaited<ReturnType<typeof setUp>>) {
  const worker = await startWorker(ctx);
  const perVpsRecMs = await reconcileSection(worker.ctx);
  // Each section starts on a quiet queue: the views' refresh that a run enqueues
  // when it completes is not the next section's work, so it is not timed with it.
  await worker.ctx.quiet();
  await ipConstantSection(worker.ctx);
  await worker.ctx.quiet();
  await naiveSection(worker.ctx, perVpsRecMs);
  await worker.ctx.quiet();
  await eventLatencySection(worker.ctx);
  await worker.stop();
  await perInstanceSection(ctx, perVpsRecMs * ctx.scale.vps);
  await budgetedSection(ctx);

  await viewsSection(ctx);
  await invoicesSection(ctx);
  await monthCloseSection(ctx);
  await savingsSection(ctx);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
