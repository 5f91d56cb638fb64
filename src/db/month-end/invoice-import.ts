import type pg from "pg";
import type { InvoiceLine } from "../../invoices/index.js";
import { formatCents } from "../../money.js";
import { StagingCopy } from "./invoice-staging.js";
import { execute, query, pgTransaction, statement, type NoParams } from "../sql.js";
import type {
  Correction,
  ImportOptions,
  ImportResult,
  MergeCounts,
  MonthAccuracy,
  OversizedMonth,
  UnmatchedLine,
} from "./invoice-import-types.js";

export type * from "./invoice-import-types.js";

/**
 * Imports invoice lines in one transaction (docs/invoices.md, "Importing"): the lines stream into a
 * temporary table with COPY, one statement matches them, the invoices of the file replace theirs
 * whole, and the months they touch (or touched before a correction) are recomputed (per VPS, fleet
 * totals, monthly_cost, drift anomalies). A dry run does all of it and rolls back, so it shows
 * exactly what the import would write.
 */

const SETUP = [
  "invoices/begin-import",
  "invoices/set-work-mem",
  "invoices/set-jit-off",
  "invoices/set-statistics-target",
  "invoices/create-staging",
  "invoices/create-touched",
  "invoices/create-touched-vps",
  "invoices/create-corrections",
].map((name) => statement(name));
const ANALYZE_STAGING = statement("invoices/analyze-staging");
const FILL_TOUCHED = statement<{ months: string[] }>("invoices/fill-touched");
const MATCH = statement("invoices/match-lines");
const ANALYZE_MATCHED = statement("invoices/analyze-matched");
const ANALYZE_TOUCHED = statement("invoices/analyze-touched");
const ANALYZE_LINES = statement("invoices/analyze-lines");
const ANALYZE_VPS_MONTHS = statement("invoices/analyze-vps-months");
const CORRECTIONS = statement<NoParams, { stale: number; removed: number; moved: number }>("invoices/corrections");
const MERGE = statement<{ importedBy: string }, MergeCounts>("invoices/merge-lines");
const VPS_MONTHS_FIRST = statement("invoices/insert-vps-months");
const VPS_MONTHS = statement("invoices/refresh-vps-months");
const OVERSIZED = statement<NoParams, OversizedMonth>("invoices/oversized-months");
const TOTALS = statement<NoParams, { written: number }>("invoices/refresh-month-totals");
const FILL = statement<{ reason: string; changedBy: string }, { changed: number }>("invoices/fill-monthly-cost");
const ANOMALIES = statement<{ usd: string; percent: number }, { anomalies: number; written: number; removed: number }>(
  "invoices/drift-anomalies",
);
const ACCURACY = statement<NoParams, MonthAccuracy>("invoices/touched-accuracy");
const UNMATCHED = statement<{ limit: number }, UnmatchedLine>("invoices/unmatched-sample");
const CORRECTED = statement<{ limit: number }, Correction>("invoices/corrections-sample");

/** Thrown when the file's figures cannot be held (a month of one VPS at 1,000,000.00 or more): nothing is written. */
export class InvoiceFiguresError extends Error {
  override name = "InvoiceFiguresError";
}

/** One pg connection the caller owns (a pooled client): the transaction and its COPY need a single session. */
export async function importInvoiceLines(
  client: pg.PoolClient,
  lines: AsyncIterable<readonly InvoiceLine[]>,
  o: ImportOptions,
): Promise<ImportResult> {
  try {
    // One session: the COPY that stages the lines and the statements after it share the transaction.
    const t0 = performance.now();
    const result = await pgTransaction(client, () => importInTransaction(client, lines, o), {
      keep: (r) => r.committed,
    });
    if (o.timings) o.timings["whole transaction (to COMMIT)"] = performance.now() - t0;
    return result;
  } catch (err) {
    // numeric_value_out_of_range: a figure no column can hold; said plainly, never the driver's words.
    if ((err as { code?: string }).code === "22003")
      throw new InvoiceFiguresError("the file's figures are too large for the invoice tables; nothing was written");
    throw err;
  }
}

async function stage(client: pg.PoolClient, pieces: AsyncIterable<readonly InvoiceLine[]>): Promise<StagingCopy> {
  const copy = StagingCopy.open(client);
  try {
    for await (const lines of pieces) {
      for (const line of lines) {
        const wait = copy.add(line);
        if (wait) await wait;
      }
    }
  } catch (err) {
    copy.abort();
    throw err;
  }
  await copy.finish();
  return copy;
}

async function importInTransaction(
  client: pg.PoolClient,
  lines: AsyncIterable<readonly InvoiceLine[]>,
  o: ImportOptions,
) {
  const time = timer(o.timings);
  await time("setup", async () => {
    for (const s of SETUP) await query(client, s, {});
  });
  const copy = await time("read and stage (COPY)", () => stage(client, lines));
  const result: ImportResult = {
    committed: false,
    staged: copy.staged,
    merge: null,
    corrections: { removed: 0, moved: 0, lines: [] },
    months: [],
    monthlyCostFilled: 0,
    anomalies: { current: 0, written: 0, removed: 0 },
    unmatched: [],
  };
  if (!o.proceed()) return result;
  await writeAndRecompute(client, { time, months: copy.monthStarts, o, result });
  result.committed = !o.dryRun;
  return result;
}

/** Matches and merges the staged lines, then recomputes the months they touch; fills `result`. */
async function writeAndRecompute(
  client: pg.PoolClient,
  { time, months, o, result }: { time: Timer; months: string[]; o: ImportOptions; result: ImportResult },
) {
  await time("analyze staging", () => query(client, ANALYZE_STAGING, {}));
  await time("touched months", () => query(client, FILL_TOUCHED, { months }));
  await time("match", () => query(client, MATCH, {}));
  await time("analyze matched", () => query(client, ANALYZE_MATCHED, {}));
  const corrected = (await time("corrections", () => query(client, CORRECTIONS, {})))[0];
  await time("analyze touched", () => query(client, ANALYZE_TOUCHED, {}));
  result.merge = (await time("merge", () => query(client, MERGE, { importedBy: o.importedBy })))[0] ?? null;
  await time("analyze lines", () => query(client, ANALYZE_LINES, {}));
  await time("vps months", () => writeVpsMonths(client));
  await time("analyze vps months", () => query(client, ANALYZE_VPS_MONTHS, {}));
  const oversized = await time("oversized", () => query(client, OVERSIZED, {}));
  if (oversized.length > 0) {
    const named = oversized.map((r) => `${r.month} serviceid ${r.serviceid ?? "?"}: ${r.invoiced_usd}`).join("; ");
    throw new InvoiceFiguresError(
      `a VPS's invoiced month is 1,000,000.00 or more, which no real month comes near (${named}); nothing was written`,
    );
  }
  await time("month totals", () => query(client, TOTALS, {}));
  result.monthlyCostFilled =
    (await time("monthly_cost", () => query(client, FILL, { reason: o.reason, changedBy: o.importedBy })))[0]
      ?.changed ?? 0;
  const usd = formatCents(o.anomaly.usdCents);
  const anomalies = (await time("anomalies", () => query(client, ANOMALIES, { usd, percent: o.anomaly.percent })))[0];
  result.anomalies = {
    current: anomalies?.anomalies ?? 0,
    written: anomalies?.written ?? 0,
    removed: anomalies?.removed ?? 0,
  };
  const listed = await time("report queries", async () => {
    result.months = await query(client, ACCURACY, {});
    result.unmatched = await query(client, UNMATCHED, { limit: 20 });
    return await query(client, CORRECTED, { limit: o.listLimit ?? 50 });
  });
  result.corrections = { removed: corrected?.removed ?? 0, moved: corrected?.moved ?? 0, lines: listed };
}

/**
 * Writes the touched months' per-VPS rows. Months that hold no rows yet (the usual month end) take
 * the straight insert, which checks that itself and otherwise inserts nothing; any other import
 * compares with the rows there.
 */
async function writeVpsMonths(client: pg.PoolClient): Promise<void> {
  if ((await execute(client, VPS_MONTHS_FIRST, {})) === 0) await execute(client, VPS_MONTHS, {});
}

/** Runs a step and adds its wall time (ms) to `timings` under `name`, when timings are asked for. */
type Timer = <T>(name: string, step: () => Promise<T>) => Promise<T>;

function timer(timings: Record<string, number> | undefined): Timer {
  return async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await step();
    } finally {
      if (timings) timings[name] = (timings[name] ?? 0) + performance.now() - t0;
    }
  };
}
