import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { BenchContext } from "../context.js";
import { HEADER } from "./invoice-files.js";
import { rssSampler } from "./rss-sampler.js";

/** The import process's V8 heap limit. */
export const HEAP_MB = 96;

/** The floor an import is measured against: the file copied as text into an unlogged table, nothing checked. */
export async function rawCopy(ctx: BenchContext, file: string): Promise<number> {
  await ctx.c.query(`DROP TABLE IF EXISTS bench_raw_invoices`);
  await ctx.c.query(`CREATE UNLOGGED TABLE bench_raw_invoices (${HEADER.replace(/,/g, " text,")} text)`);
  const t0 = performance.now();
  await pipeline(
    createReadStream(file),
    ctx.c.query(copyFrom(`COPY bench_raw_invoices (${HEADER}) FROM STDIN WITH (FORMAT csv, HEADER true)`)),
  );
  const elapsed = performance.now() - t0;
  await ctx.c.query(`DROP TABLE bench_raw_invoices`);
  return elapsed;
}

/**
 * The floor any import that keeps its lines has: the rows the import wrote, copied by one INSERT …
 * SELECT into a logged table shaped as invoice_lines (its indexes, checks and defaults), in the
 * same run. No parsing, matching or recomputing: only what writing 1M lines durably costs here.
 */
export async function loggedWriteFloor(ctx: BenchContext): Promise<{ ms: number; rows: number }> {
  await ctx.c.query(`DROP TABLE IF EXISTS bench_floor_invoice_lines`);
  await ctx.c.query(`CREATE TABLE bench_floor_invoice_lines (LIKE invoice_lines INCLUDING ALL)`);
  const t0 = performance.now();
  const r = await ctx.c.query(`INSERT INTO bench_floor_invoice_lines SELECT * FROM invoice_lines`);
  const elapsed = performance.now() - t0;
  await ctx.c.query(`DROP TABLE bench_floor_invoice_lines`);
  return { ms: elapsed, rows: r.rowCount ?? 0 };
}

export interface ImportRun {
  elapsedMs: number;
  peakMb: number;
  growthMb: number;
  code: number | null;
  /** `invoices import --json`'s answer. */
  json: {
    validLines: number;
    badLineCount: number;
    badLines: unknown[];
    invoices: number | null;
    matched: Record<string, number> | null;
    monthlyCostFilled: number;
    anomalies: { current: number; written: number; removed: number };
    corrections: { removed: number; moved: number } | null;
    timingsMs: Record<string, number>;
  };
}

/** The import runs as production runs it (the Docker image's entry point): compiled JavaScript, no tsx. */
export function buildCompiled(): void {
  const build = spawnSync("npm", ["run", "build"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

/**
 * `invoices import FILE --json [flags]` as the compiled CLI (`buildCompiled`) in its own process, with a V8 heap far below the
 * file's size (an import that held the file would fail, not just grow), its RSS sampled. Extra node
 * flags for a profile: BENCH_IMPORT_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
export async function importFile(dbUrl: string, file: string, flags: string[] = []): Promise<ImportRun> {
  const extra = (process.env.BENCH_IMPORT_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const args = [...extra, "bin/cost-sync-compiled.mjs", "invoices", "import", file, "--json", ...flags];
  const child = spawn(process.execPath, args, {
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
  let json: ImportRun["json"];
  try {
    json = JSON.parse(stdout) as ImportRun["json"];
  } catch {
    throw new Error(`invoices import exited with ${String(code)} and no JSON:\n${stdout.slice(0, 2000)}`);
  }
  return { elapsedMs, ...rss, code, json };
}
