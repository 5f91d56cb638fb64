import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report, Settings } from "../context.js";
import { HEADER, writeInvoiceFile } from "./invoice-files.js";

const SECTION = "csv parsers";
const PARSERS = ["hand", "csv-parse"] as const;

/**
 * The import's hand-written CSV parser (src/invoices/csv-parser.ts) against csv-parse, on the
 * benchmark's invoice file (1,000,000 lines; 100,000 with --quick), each in a process of its own:
 * time and peak RSS, twice each, alternating. Then a small file with deliberate bad lines, read as
 * the import reads it (parser, then LineValidator): the line numbers and messages each gives.
 * `npm run bench -- --only=csv`; docs/decisions.md records the figures and the choice.
 */
export async function csvParsersSection(s: Settings, report: Report): Promise<void> {
  const lines = s.quick ? 100_000 : 1_000_000;
  report.log(`csv parsers: the hand-written parser and csv-parse on the ${String(lines)}-line invoice file`);
  const dir = await mkdtemp(join(tmpdir(), "cost-sync-bench-csv-"));
  try {
    const file = join(dir, "invoices.csv");
    await writeInvoiceFile(file, { lines, vps: s.scale.vps });
    for (const round of [1, 2]) {
      for (const parser of round === 1 ? PARSERS : [...PARSERS].reverse()) {
        const r = await child(parser, file, "time");
        report.add({
          section: SECTION,
          metric: `${parser}, ${String(lines)} lines, run ${String(round)}: time; peak RSS; records (unreadable)`,
          value: `${(r.ms / 1000).toFixed(2)} s; ${r.peakMb.toFixed(0)} MB; ${String(r.records)} (${String(r.unreadable)})`,
        });
      }
    }
    const bad = join(dir, "bad-lines.csv");
    await writeFile(bad, BAD_FILE);
    report.log("  a file with deliberate bad lines (read as the import reads it):");
    BAD_FILE.split("\n").forEach(
      (l, i) => l !== "" && report.log(`    ${String(i + 1).padStart(2)}| ${JSON.stringify(l)}`),
    );
    for (const parser of PARSERS) {
      const r = await child(parser, bad, "bad");
      report.log(`  ${parser}: ${String(r.records - 1)} records read, bad lines:`);
      for (const b of r.bad) report.log(`    line ${String(b.line)}: ${b.reason}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ROW = (n: number, description = "Cloud VPS - Linux 2 GB (11/01/2026 - 11/30/2026)") =>
  `INV-1,2026-11-01,${String(n)},,,${description},10.49,USD,,`;

/** Lines 3, 5, 7 and 9 are bad: an unclosed quote, a missing column, a NUL, a quote inside a field. */
const BAD_FILE = [
  HEADER,
  ROW(1),
  ROW(2, '"Cloud VPS - Linux 2 GB (11/01/2026 - 11/30/2026)'),
  ROW(3),
  "INV-1,2026-11-01,4,,,Cloud VPS - Linux 2 GB (11/01/2026 - 11/30/2026),10.49,USD",
  ROW(5),
  ROW(6, "Cloud VPS\u0000 - Linux 2 GB (11/01/2026 - 11/30/2026)"),
  ROW(7),
  ROW(8, 'Cloud "VPS" - Linux 2 GB (11/01/2026 - 11/30/2026)'),
  ROW(9),
  "",
].join("\n");

interface ChildResult {
  records: number;
  unreadable: number;
  ms: number;
  peakMb: number;
  bad: { line: number; reason: string }[];
}

async function child(parser: string, file: string, mode: "time" | "bad"): Promise<ChildResult> {
  const p = spawn(process.execPath, ["--import", "tsx", "bench/csv-parser-child.ts", parser, file, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(p, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${parser} exited with ${String(code)}`);
  return JSON.parse(out) as ChildResult;
}
