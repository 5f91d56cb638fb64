import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "../context.js";
import { ms } from "../measure.js";
import { writeBadLinesFile, writeInvoiceFile } from "./invoice-files.js";
import { buildCompiled, HEAP_MB, importFile, loggedWriteFloor, rawCopy, type ImportRun } from "./invoice-run.js";

const SECTION = "7 invoices";

/**
 * 7. `invoices import` (the compiled CLI, as the Docker image runs it) of a generated file: 1,000,000 lines (100,000 with --quick), one per VPS and
 * month over as many months as it takes, with IP, other and unmatched lines among them, against a
 * raw COPY of the same file in the same run, and against the floor of writing its rows alone into a
 * logged, indexed copy of invoice_lines; each step's time. Then memory: the import runs as the
 * CLI in its own process, whose resident memory is sampled, on three files of that many lines (the
 * import's, one of bad lines only with --json, one where every line has its own invoice number):
 * the peaks, and the growth from the first fifth of the run to the end, show whether memory follows
 * the file or stays flat. Last, (d): a corrected export of the same invoices imported on top, where
 * every invoice of the file is compared line by line with the stored one.
 */
export async function invoicesSection(ctx: BenchContext): Promise<void> {
  const lines = ctx.quick ? 100_000 : 1_000_000;
  ctx.report.log(`7. invoices import (${String(lines)} lines)`);
  const dir = await mkdtemp(join(tmpdir(), "cost-sync-bench-invoices-"));
  try {
    const file = join(dir, "invoices.csv");
    const t0 = performance.now();
    await writeInvoiceFile(file, { lines, vps: ctx.scale.vps });
    ctx.report.log(`  generated ${file} in ${ms(performance.now() - t0)}`);
    buildCompiled();
    const rawMs = await rawCopy(ctx, file);
    const run = await importFile(ctx.dbUrl, file);
    if (run.code !== 0) throw new Error(`invoices import exited with ${String(run.code)}`);
    speedFigures(ctx, { lines, rawMs, run });
    floorFigures(ctx, { rawMs, run, floor: await loggedWriteFloor(ctx) });
    memoryFigure(ctx, `(a) ${String(lines)}-line import`, run);

    const bad = join(dir, "bad-lines.csv");
    await writeBadLinesFile(bad, { lines, vps: ctx.scale.vps });
    const badRun = await importFile(ctx.dbUrl, bad);
    memoryFigure(ctx, `(b) ${String(lines)} bad lines, --json`, badRun);
    ctx.report.log(
      `  (b) ${String(badRun.json.badLineCount)} bad lines counted, ${badRun.json.badLines.length} listed`,
    );

    const distinct = join(dir, "distinct-invoices.csv");
    await writeInvoiceFile(distinct, { lines, vps: ctx.scale.vps, distinctInvoices: true });
    const distinctRun = await importFile(ctx.dbUrl, distinct, ["--dry-run"]);
    if (distinctRun.code !== 0) throw new Error(`invoices import --dry-run exited with ${String(distinctRun.code)}`);
    memoryFigure(ctx, `(c) ${String(lines)} distinct invoice numbers, --dry-run`, distinctRun);
    ctx.report.log(`  (c) ${String(distinctRun.json.invoices)} invoices in ${ms(distinctRun.elapsedMs)}; steps (ms):`);
    printSteps(ctx, distinctRun);

    // (d) Finance's corrected export of the same invoices, imported on top of (a): every invoice is in
    // it, so every one is compared line by line with what (a) stored.
    const corrected = join(dir, "corrected.csv");
    await writeInvoiceFile(corrected, { lines, vps: ctx.scale.vps, corrected: true });
    const correctedRun = await importFile(ctx.dbUrl, corrected);
    if (correctedRun.code !== 0)
      throw new Error(`invoices import of the corrected file exited with ${String(correctedRun.code)}`);
    const c = correctedRun.json.corrections;
    ctx.report.add({
      section: SECTION,
      metric: `(d) a corrected ${String(lines)}-line file on top of (a): the import / its corrections step`,
      value: `${(correctedRun.elapsedMs / 1000).toFixed(1)} s / ${((correctedRun.json.timingsMs.corrections ?? 0) / 1000).toFixed(1)} s`,
    });
    ctx.report.log(
      `  (d) ${String(correctedRun.json.matched?.updated)} lines changed, ${String(c?.removed)} removed, ${String(c?.moved)} moved; steps (ms):`,
    );
    printSteps(ctx, correctedRun);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function speedFigures(ctx: BenchContext, o: { lines: number; rawMs: number; run: ImportRun }) {
  const { run, rawMs, lines } = o;
  const seconds = run.elapsedMs / 1000;
  const ratio = run.elapsedMs / rawMs;
  const add = (metric: string, value: string, target?: string, met?: boolean) =>
    ctx.report.add({ section: SECTION, metric, value, ...(target ? { target, met } : {}) });
  add("raw COPY of the same file into an unlogged table (text columns, no checks)", `${(rawMs / 1000).toFixed(1)} s`);
  add("invoices import time / raw COPY time (same run)", `${ratio.toFixed(1)}×`, "≤ 3×", ratio <= 3);
  const target = ctx.quick ? 3 : 30;
  add(
    `invoices import, ${String(lines)} lines (the CLI process, start to exit)`,
    `${seconds.toFixed(1)} s`,
    `≤ ${String(target)} s`,
    seconds <= target,
  );
  add("invoices import throughput", `${Math.round(lines / seconds).toLocaleString("en-US")} lines/s`);
  ctx.report.log("  import steps (ms, wall time in the import process):");
  printSteps(ctx, run);
  const m = run.json.matched;
  ctx.report.log(
    `  wrote: ${String(m?.inserted)} new, ${String(m?.updated)} changed lines; monthly_cost for ${String(run.json.monthlyCostFilled)} VPS; ${String(run.json.anomalies.current)} drift anomalies`,
  );
}

/** What writing the import's rows alone into a logged, indexed invoice_lines costs, against the raw COPY. */
function floorFigures(ctx: BenchContext, o: { rawMs: number; run: ImportRun; floor: { ms: number; rows: number } }) {
  const { rawMs, run, floor } = o;
  const add = (metric: string, value: string) => ctx.report.add({ section: SECTION, metric, value });
  add(
    `floor: the import's ${String(floor.rows)} rows written by one INSERT … SELECT into a logged copy of invoice_lines (its indexes and checks)`,
    `${(floor.ms / 1000).toFixed(1)} s = ${(floor.ms / rawMs).toFixed(1)}× raw COPY`,
  );
  add("invoices import time / that floor (same run)", `${(run.elapsedMs / floor.ms).toFixed(1)}×`);
}

function printSteps(ctx: BenchContext, run: ImportRun) {
  const t = run.json.timingsMs;
  const inside = (t["date order"] ?? 0) + (t["whole transaction (to COMMIT)"] ?? 0) + (t["savings refresh"] ?? 0);
  const steps = { ...t, "process start, connect, exit": Math.round(run.elapsedMs - inside) };
  for (const [name, value] of Object.entries(steps))
    ctx.report.log(`    ${name.padEnd(32)} ${String(value).padStart(7)}`);
}

function memoryFigure(ctx: BenchContext, what: string, run: ImportRun) {
  ctx.report.add({
    section: SECTION,
    metric: `import process peak RSS, ${what} (V8 heap limited to ${String(HEAP_MB)} MB)`,
    value: `${run.peakMb.toFixed(0)} MB (growth ${run.growthMb.toFixed(0)} MB)`,
  });
}

/**
 * For `--only=invoices`, where no reconciliation has priced the fleet: every live VPS modelled at
 * the invoiced 10.49, one in ten at 5.49 (a drift of 5.00, under the default 10.00 USD threshold).
 */
export async function priceFleetForInvoices(ctx: BenchContext): Promise<void> {
  await ctx.c.query(
    `UPDATE vps_instances SET approximate_cost = CASE WHEN status = 'decommissioned' THEN 0.00
            WHEN hostwinds_instance_id::bigint % 10 = 0 THEN 5.49 ELSE 10.49 END`,
  );
  await ctx.c.query("ANALYZE vps_instances");
}
