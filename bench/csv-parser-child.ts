/**
 * One CSV parser over one file, in a process of its own so that its peak RSS is its own
 * (bench/sections/csv-parsers.ts): `node --import tsx bench/csv-parser-child.ts hand|csv-parse FILE
 * time|bad`. `time` only parses (records and unreadable records counted); `bad` parses and
 * validates as the import does (LineValidator), and lists every bad line with its message.
 * Prints one JSON line.
 */
import { createReadStream } from "node:fs";
import { parse, type Info } from "csv-parse";
import { mapHeader } from "../src/invoices/columns.js";
import { LineValidator, readCsv, type CsvRow } from "../src/invoices/index.js";

const [parser, file, mode] = process.argv.slice(2);
if (file === undefined || (parser !== "hand" && parser !== "csv-parse"))
  throw new Error("usage: hand|csv-parse FILE time|bad");

/** csv-parse as the import would use it: no column-count check (the validator does it), bad records skipped and reported. */
async function* csvParse(path: string): AsyncGenerator<CsvRow> {
  const skipped: CsvRow[] = [];
  const p = createReadStream(path).pipe(
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: 65_536,
      on_skip: (err) => {
        if (err) skipped.push({ kind: "error", lineNumber: Number(err.lines), reason: err.message });
        return undefined;
      },
    }),
  );
  for await (const { record, info } of p as AsyncIterable<{ record: string[]; info: Info }>) {
    yield* skipped.splice(0);
    yield { kind: "record", lineNumber: info.lines, fields: record };
  }
  yield* skipped.splice(0);
}

const rows = parser === "hand" ? readCsv(createReadStream(file)) : csvParse(file);
const t0 = performance.now();
let records = 0;
let unreadable = 0;
const bad: { line: number; reason: string }[] = [];
let validator: LineValidator | undefined;
for await (const row of rows) {
  if (row.kind === "error") {
    unreadable++;
    if (mode === "bad") bad.push({ line: row.lineNumber, reason: row.reason });
    continue;
  }
  records++;
  if (mode !== "bad") continue;
  if (validator === undefined) {
    const mapped = mapHeader(row.fields, row.lineNumber);
    if (!mapped.ok) throw new Error(mapped.error);
    validator = new LineValidator(mapped.header);
  } else {
    const item = validator.validate(row);
    if (item?.type === "bad") bad.push({ line: item.lineNumber, reason: item.reason });
  }
}
const ms = performance.now() - t0;
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ parser, records, unreadable, ms, peakMb, bad }) + "\n");
