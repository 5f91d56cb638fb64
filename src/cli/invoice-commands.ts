import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Config } from "../config/env.js";
import { operatorOf } from "../config/operator.js";
import { importInvoiceLines, type ImportResult } from "../db/invoice-import.js";
import { InvoiceSummary, readInvoiceFile, type BadLine, type InvoiceLine } from "../invoices/index.js";
import { parseUsdCents } from "../money.js";
import { noArgs, oneOf, parse } from "./args.js";
import { importJson, printImport } from "./invoice-print.js";
import { printJson } from "./output.js";
import { withSession } from "./session.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const INVOICES_HELP = {
  help: "import a Hostwinds invoice CSV: invoices import <file.csv> [--dry-run] [--skip-bad]",
  usage: ["invoices import <file.csv> [--dry-run] [--skip-bad] [--json]"],
  description:
    "Reads Finance's invoice CSV (docs/invoices.md; template docs/invoices-template.csv) as a stream and imports it\n" +
    "in one transaction: each line matched to a VPS (service_id, else ip), an IP (ip), fleet-level other spend, or\n" +
    "nothing; per month and VPS the invoiced monthly equivalent beside the modelled cost, monthly_cost filled from\n" +
    "the latest invoiced month, drift beyond the anomaly thresholds recorded. Importing a file again changes\n" +
    "nothing. A file with bad lines writes nothing and lists every bad line (exit 1) unless --skip-bad.\n" +
    "--dry-run does everything in a transaction it rolls back and prints what would be matched and written.",
  arguments: { "<file.csv>": "the invoice CSV file (UTF-8, RFC 4180, header line first)" },
  flags: {
    "dry-run": { type: "boolean", help: "show what would be matched and written; write nothing" },
    "skip-bad": { type: "boolean", help: "import the valid lines and skip the bad ones (still listed)" },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

export interface ImportOutcome {
  file: string;
  dryRun: boolean;
  skipBad: boolean;
  summary: InvoiceSummary;
  bad: BadLine[];
  result: ImportResult;
}

/** `invoices import <file.csv> [--dry-run] [--skip-bad] [--json]`. */
export async function invoicesCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = args;
  oneOf(sub, ["import"], "invoices subcommand");
  const { values, positionals } = parse(rest, INVOICES_HELP.flags);
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError(`missing the invoice file: ${INVOICES_HELP.usage[0]}`);
  noArgs(extra);
  const info = await stat(file).catch((e: unknown) => {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  });
  if (!info.isFile()) throw new UsageError(`${file} is not a file`);
  const dryRun = values["dry-run"] === true;
  const skipBad = values["skip-bad"] === true;
  const json = values.json === true;
  const summary = new InvoiceSummary({ keepBadLines: 0 });
  const bad: BadLine[] = [];
  // Bad lines are printed as they are found (every one, in constant memory); --json keeps them.
  const onBad = (b: BadLine) => {
    if (json) bad.push(b);
    else out.write(`bad line ${String(b.lineNumber)}: ${b.reason}\n`);
  };
  const lines = validLines(readInvoiceFile(createReadStream(file)), { summary, skipBad, onBad });
  const result = await withSession(cfg, async (s) => {
    const client = await s.pool.connect();
    let imported: ImportResult;
    try {
      imported = await importInvoiceLines(client, lines, {
        importedBy: operatorOf(cfg),
        reason: `invoices import ${basename(file)}`,
        anomaly: { percent: cfg.ANOMALY_THRESHOLD_PERCENT, usdCents: thresholdCents(cfg) },
        dryRun,
        proceed: () => skipBad || summary.badLines === 0,
      });
    } finally {
      client.release();
    }
    // Savings read the latest invoices (billed after decommission, realised savings): recomputed now.
    if (!dryRun) await s.savings().refresh(`invoices import ${basename(file)}`);
    return imported;
  });
  const outcome: ImportOutcome = { file, dryRun, skipBad, summary, bad, result };
  if (json) printJson(out, importJson(outcome));
  else printImport(out, outcome);
  return summary.badLines > 0 && !skipBad ? EXIT.failure : EXIT.ok;
}

/** ANOMALY_THRESHOLD_USD as cents; the configuration checked it, so a failure here is a bug, not a guess. */
function thresholdCents(cfg: Config): bigint {
  const cents = parseUsdCents(cfg.ANOMALY_THRESHOLD_USD);
  if (cents === undefined) throw new Error(`ANOMALY_THRESHOLD_USD ${cfg.ANOMALY_THRESHOLD_USD} is not a USD amount`);
  return cents;
}

/**
 * The file's valid lines, counted in the summary. Once a bad line is seen without --skip-bad,
 * nothing will be written: the rest of the file is only read, to list every bad line.
 */
async function* validLines(
  items: ReturnType<typeof readInvoiceFile>,
  o: { summary: InvoiceSummary; skipBad: boolean; onBad: (b: BadLine) => void },
): AsyncGenerator<InvoiceLine> {
  for await (const item of items) {
    o.summary.add(item);
    if (item.type === "bad") o.onBad(item);
    else if (item.type === "line" && (o.skipBad || o.summary.badLines === 0)) yield item;
  }
}
