import { writeFile } from "node:fs/promises";
import type { Config } from "../config/env.js";
import { FOCUS_VERSION, focusCsv, focusExport } from "../services/focus-export.js";
import { monthArg, noArgs, oneOf, parse } from "./args.js";
import { withSession } from "../runtime.js";
import type { CommandHelp } from "./spec.js";
import { EXIT, UsageError } from "./usage-error.js";

export const EXPORT_HELP = {
  help: "export a month's invoice lines as FOCUS: export focus --month YYYY-MM [--out FILE]",
  usage: ["export focus --month YYYY-MM [--out FILE]"],
  description:
    `Writes the lines of the invoices dated in the month as a FOCUS ${FOCUS_VERSION} CSV (docs/focus.md): BilledCost is\n` +
    "the line's amount, ListCost and EffectiveCost the model's figure, ResourceId the Hostwinds serviceid, the\n" +
    "tenant in x_TenantId. Without --out, the CSV goes to standard output.",
  arguments: { focus: "the FinOps Open Cost and Usage Specification format" },
  flags: {
    month: { type: "string", value: "YYYY-MM", help: "the month whose invoices are exported (invoice date)" },
    out: { type: "string", value: "FILE", help: "write the CSV to FILE instead of standard output" },
  },
} satisfies CommandHelp;

/** `export focus --month YYYY-MM [--out FILE]`. */
export async function exportCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, EXPORT_HELP.flags);
  const [format, ...extra] = positionals;
  oneOf(format, ["focus"], "export format");
  noArgs(extra);
  const month = values.month;
  if (month === undefined) throw new UsageError("export focus needs --month YYYY-MM");
  monthArg(month, { minYear: 1, refusal: "--month must be a month as YYYY-MM" });
  if (values.out === "") throw new UsageError("flag --out needs a file name");
  const rows = await withSession(cfg, (s) => focusExport(s.pool, month));
  const csv = focusCsv(rows);
  if (values.out === undefined) out.write(csv);
  else {
    await writeFile(values.out, csv);
    out.write(`wrote ${String(rows.length)} FOCUS ${FOCUS_VERSION} rows for ${month} to ${values.out}\n`);
  }
  return EXIT.ok;
}
