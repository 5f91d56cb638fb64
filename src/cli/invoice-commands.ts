import { stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Config } from "../config/env.js";
import { operatorOf } from "../operator.js";
import { importInvoices } from "../services/invoice-import.js";
import { dateOrderArg, noArgs, oneOf, parse } from "./args.js";
import { importJson, printImport } from "./invoice-print.js";
import { printJson } from "./output.js";
import { withSession } from "./session.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const INVOICES_HELP = {
  help: "import a Hostwinds invoice CSV: invoices import <file.csv> [--dry-run] [--skip-bad]",
  usage: ["invoices import <file.csv> [--dry-run] [--skip-bad] [--date-order mdy|dmy] [--json]"],
  description:
    "Reads Finance's invoice CSV (docs/invoices.md; template docs/invoices-template.csv; WHMCS's type and relid\n" +
    "columns understood) as a stream and imports it in one transaction: each line matched to a VPS (service_id,\n" +
    "ip, or host name through the latest reconciliation's listing), an IP, fleet-level other spend, or nothing; a\n" +
    "line naming two live VPS is listed as ambiguous. An invoice in the file replaces that invoice's lines whole\n" +
    "(removed and moved lines listed), and every month gaining or losing a line is recomputed. Importing a file\n" +
    "again changes nothing. A file with bad lines writes nothing and lists every bad line (exit 1) unless\n" +
    "--skip-bad. --dry-run does everything in a transaction it rolls back.",
  arguments: { "<file.csv>": "the invoice CSV file (UTF-8, RFC 4180, header line first)" },
  flags: {
    "dry-run": { type: "boolean", help: "show what would be matched and written; write nothing" },
    "skip-bad": { type: "boolean", help: "import the valid lines and skip the bad ones (still listed)" },
    "date-order": {
      type: "string",
      value: "mdy|dmy",
      help: "how the file writes slash dates, when none of its dates shows it (01/02/2026)",
    },
    ...JSON_FLAG,
  },
} satisfies CommandHelp;

/** `invoices import <file.csv> [--dry-run] [--skip-bad] [--date-order mdy|dmy] [--json]`. */
export async function invoicesCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const [sub, ...rest] = args;
  oneOf(sub, ["import"], "invoices subcommand");
  const { values, positionals } = parse(rest, INVOICES_HELP.flags);
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError(`missing the invoice file: ${INVOICES_HELP.usage[0]}`);
  noArgs(extra);
  const dateOrder = dateOrderArg(values["date-order"]);
  const info = await stat(file).catch((e: unknown) => {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  });
  if (!info.isFile()) throw new UsageError(`${file} is not a file`);
  const json = values.json === true;
  const dryRun = values["dry-run"] === true;
  const outcome = await withSession(cfg, async (s) => {
    const imported = await importInvoices(
      { pool: s.pool, cfg },
      {
        file,
        dryRun,
        skipBad: values["skip-bad"] === true,
        ...(dateOrder ? { dateOrder } : {}),
        importedBy: operatorOf(cfg),
        keepBad: json,
        // Bad lines are printed as they are found (every one, in constant memory); --json keeps the first ones.
        onBad: (b) => {
          if (!json) out.write(`bad line ${String(b.lineNumber)}: ${b.reason}\n`);
        },
      },
    );
    // Savings read the latest invoices (billed after decommission, realised savings): recomputed now.
    const t0 = performance.now();
    if (!dryRun && imported.result.committed) await s.savings().refresh(`invoices import ${basename(file)}`);
    imported.timings["savings refresh"] = performance.now() - t0;
    return imported;
  });
  if (json) printJson(out, importJson(outcome));
  else printImport(out, outcome);
  return outcome.summary.badLines > 0 && !outcome.skipBad ? EXIT.failure : EXIT.ok;
}
