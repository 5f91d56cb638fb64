/**
 * Section 6 alone (month close and trend), on the benchmark's fleet with costs set in SQL instead
 * of by a reconciliation: `node --import tsx bench/month-close-only.ts [--quick]`. `npm run bench`
 * runs it after the other sections, on the costs the reconciliation priced.
 */
import { cpus } from "node:os";
import { createReport, settings } from "./context.js";
import { printFigures } from "./measure.js";
import { monthCloseSection } from "./sections/month-close.js";
import { dropDatabase, setUp } from "./sections/setup.js";

async function main() {
  const quick = process.argv.includes("--quick");
  const report = createReport();
  const ctx = await setUp(settings(quick), report);
  try {
    // What a reconciliation would have written: a VPS between 5.00 and 68.00, every IP at the constant.
    await ctx.c.query(`UPDATE vps_instances SET approximate_cost = 5 + (hashtext(id::text) & 63)`);
    await ctx.c.query(`UPDATE smtp_ip_addresses SET approximate_cost = 4.99`);
    await ctx.c.query(`VACUUM ANALYZE vps_instances, smtp_ip_addresses`);
    await monthCloseSection(ctx);
  } finally {
    await ctx.c.end();
    await ctx.sim.close();
    await dropDatabase();
  }
  printFigures(
    report.figures,
    `cost-sync benchmark, section 6 alone, ${quick ? "quick" : "full"} scale, ${String(cpus().length)} cores, ${new Date().toISOString()}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
