import { stat } from "node:fs/promises";
import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { importInvoices } from "../services/invoice-import.js";
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
  const outcome = await withSession(cfg, (s) =>
    importInvoices(
      { pool: s.pool, cfg },
      {
        file,
        dryRun,
        skipBad,
        importedBy: operatorOf(cfg),
        keepBad: json,
        // Bad lines are printed as they are found (every one, in constant memory); --json keeps them.
        onBad: (b) => {
          if (!json) out.write(`bad line ${String(b.lineNumber)}: ${b.reason}\n`);
        },
      },
    ),
  );
  if (json) printJson(out, importJson(outcome));
  else printImport(out, outcome);
  return outcome.summary.badLines > 0 && !skipBad ? EXIT.failure : EXIT.ok;
}
