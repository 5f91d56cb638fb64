import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "../context.js";
import { ms } from "../measure.js";
import { rssSampler } from "./rss-sampler.js";

/** The import process's V8 heap limit. */
const HEAP_MB = 96;

/** Lines per invoice in the generated file (the reader keeps one counter per invoice number). */
const LINES_PER_INVOICE = 100;

/**
 * 7. `invoices import` of a generated file: 1,000,000 lines (100,000 with --quick), one per VPS and
 * month over as many months as it takes, with IP, other and unmatched lines among them. The import
 * runs as the CLI in its own process, whose resident memory is sampled: its peak, and its growth from
 * the first fifth of the run to the end, show whether memory follows the file or stays flat.
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
    const rawMs = await rawCopy(ctx, file);
    const run = await importFile(ctx.dbUrl, file);
    const seconds = run.elapsedMs / 1000;
    const ratio = run.elapsedMs / rawMs;
    ctx.report.add({
      section: "7 invoices",
      metric: "raw COPY of the same file into an unlogged table (text columns, no checks)",
      value: `${(rawMs / 1000).toFixed(1)} s`,
    });
    ctx.report.add({
      section: "7 invoices",
      metric: "invoices import time / raw COPY time (same run)",
      value: `${ratio.toFixed(1)}×`,
      target: "≤ 3×",
      met: ratio <= 3,
    });
    const target = ctx.quick ? 3 : 30;
    ctx.report.add({
      section: "7 invoices",
      metric: `invoices import, ${String(lines)} lines (one transaction)`,
      value: `${seconds.toFixed(1)} s`,
      target: `≤ ${String(target)} s`,
      met: seconds <= target,
    });
    ctx.report.add({
      section: "7 invoices",
      metric: `import process peak RSS (V8 heap limited to ${String(HEAP_MB)} MB)`,
      value: `${run.peakMb.toFixed(0)} MB`,
    });
    ctx.report.add({
      section: "7 invoices",
      metric: "import process RSS growth, first fifth of the run to the end",
      value: `${run.growthMb.toFixed(0)} MB`,
    });
    ctx.report.log(`  ${run.summary}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The floor an import is measured against: the file copied as text into an unlogged table, nothing checked. */
async function rawCopy(ctx: BenchContext, file: string): Promise<number> {
  const columns =
    "invoice_number, invoice_date, service_id, hostname, ip, description, amount, currency, period_start, period_end";
  await ctx.c.query(`DROP TABLE IF EXISTS bench_raw_invoices`);
  await ctx.c.query(`CREATE UNLOGGED TABLE bench_raw_invoices (${columns.replace(/,/g, " text,")} text)`);
  const t0 = performance.now();
  await pipeline(
    createReadStream(file),
    ctx.c.query(copyFrom(`COPY bench_raw_invoices (${columns}) FROM STDIN WITH (FORMAT csv, HEADER true)`)),
  );
  const elapsed = performance.now() - t0;
  await ctx.c.query(`DROP TABLE bench_raw_invoices`);
  return elapsed;
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

/** 85 % VPS lines, 10 % additional IPs, 3 % snapshots, 2 % service ids no row has. */
async function writeInvoiceFile(path: string, o: { lines: number; vps: number }): Promise<void> {
  const out = createWriteStream(path);
  out.write("invoice_number,invoice_date,service_id,hostname,ip,description,amount,currency,period_start,period_end\n");
  for (let i = 0; i < o.lines; i++) {
    const month = Math.floor(i / o.vps);
    const k = (i % o.vps) + 1;
    const start = new Date(Date.UTC(2026, month, 1));
    const end = new Date(Date.UTC(2026, month + 1, 0));
    const [y, m] = [start.getUTCFullYear(), String(start.getUTCMonth() + 1).padStart(2, "0")];
    const period = `(${m}/01/${String(y)} - ${m}/${String(end.getUTCDate())}/${String(y)})`;
    const invoice = `${String(y)}${m}${String(Math.floor(k / LINES_PER_INVOICE))}`;
    const r = i % 100;
    const row =
      r < 85
        ? `${invoice},${String(y)}-${m}-01,${String(k)},,,Cloud VPS - Linux 2 GB ${period},10.49,USD,,`
        : r < 95
          ? `${invoice},${String(y)}-${m}-01,${String(k)},,172.16.${String(k % 250)}.${String(k % 200)},Additional IP Address ${period},4.99,USD,,`
          : r < 98
            ? `${invoice},${String(y)}-${m}-03,${String(k)},,,Server Snapshot - 40 GB,1.00,USD,,`
            : `${invoice},${String(y)}-${m}-01,${String(o.vps + k)},,,Cloud VPS - Linux 2 GB ${period},10.49,USD,,`;
    if (!out.write(row + "\n")) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function importFile(dbUrl: string, file: string) {
  const child = spawn(process.execPath, ["bin/cost-sync.mjs", "invoices", "import", file], {
    // A heap far below the file's size: an import that held the file would fail here, not just grow.
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      LOG_LEVEL: "warn",
      COST_SYNC_OPERATOR: "bench",
      NODE_OPTIONS: `--max-old-space-size=${String(HEAP_MB)}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (child.pid === undefined) throw new Error("the import process did not start");
  const sampler = rssSampler(child.pid);
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  const t0 = performance.now();
  const [code] = (await once(child, "exit")) as [number | null];
  const elapsedMs = performance.now() - t0;
  const rss = sampler.stop();
  if (code !== 0) throw new Error(`invoices import exited with ${String(code)}:\n${stdout}`);
  const summary = stdout.split("\n").find((l) => l.startsWith("wrote:")) ?? "";
  return { elapsedMs, ...rss, summary };
}
