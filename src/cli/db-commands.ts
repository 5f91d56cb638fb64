import type { Config } from "../config/env.js";
import { planRollback, rollback } from "../migrator/rollback.js";
import { verify, type CheckResult } from "../migrator/verify.js";
import { noArgs, parse } from "./args.js";
import { printJson } from "./output.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT } from "./usage-error.js";

export { noArgs } from "./args.js";

export const VERIFY_HELP = {
  help: "check objects and data (PASS/WARN/FAIL, offending ids); exit 1 on any FAIL",
  usage: ["verify [--json]"],
  description:
    "The seed's migration verification and checks of the data (negative or NaN costs, overrides, history),\n" +
    "PASS, WARN or FAIL each with the offending ids. Exit 1 on any FAIL (an empty database lists FAILs).",
  flags: { ...JSON_FLAG },
} satisfies CommandHelp;

export const ROLLBACK_HELP = {
  help: "emergency rollback: --confirm to execute, --drop-columns to also drop cost data",
  usage: ["rollback [--confirm] [--drop-columns]"],
  description: "Without --confirm, only prints the statements. `cost-sync migrate` brings everything back.",
  flags: {
    confirm: { type: "boolean", help: "run the rollback (in one transaction)" },
    "drop-columns": { type: "boolean", help: "also drop the cost columns and their data" },
  },
} satisfies CommandHelp;

/** `verify [--json]`: PASS, WARN or FAIL per check, with the offending ids; exit 1 on any FAIL. */
export async function verifyCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, VERIFY_HELP.flags);
  noArgs(positionals);
  const results = await verify(cfg.DATABASE_URL);
  const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
  const failed = count("FAIL");
  if (values.json) {
    const checks = results.map((r) => ({
      name: r.name,
      status: r.status,
      detail: r.detail,
      ids: r.ids ?? [],
      idCount: r.count ?? r.ids?.length ?? 0,
    }));
    const summary = { ok: failed === 0, pass: count("PASS"), warn: count("WARN"), fail: failed, total: results.length };
    printJson(out, { ...summary, checks });
    return failed ? EXIT.failure : EXIT.ok;
  }
  for (const r of results)
    out.write(`${r.status}  ${r.name}${r.status === "PASS" ? "" : ` — ${r.detail}`}${idList(r)}\n`);
  out.write(
    `verify: ${String(count("PASS"))} PASS, ${String(count("WARN"))} WARN, ${String(failed)} FAIL of ${String(results.length)} checks\n`,
  );
  return failed ? EXIT.failure : EXIT.ok;
}

const idList = (r: CheckResult) =>
  r.ids?.length
    ? `\n      ${r.ids.join(", ")}${(r.count ?? 0) > r.ids.length ? ` (first ${String(r.ids.length)} of ${String(r.count)})` : ""}`
    : "";

export async function rollbackCommand(cfg: Config, args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values, positionals } = parse(args, ROLLBACK_HELP.flags);
  noArgs(positionals);
  const plan = planRollback(values["drop-columns"] === true);
  if (!values.confirm) {
    out.write("rollback: dry run (add --confirm to execute); would run:\n");
    for (const s of plan.statements) out.write(`  ${s};\n`);
    return EXIT.ok;
  }
  await rollback(cfg.DATABASE_URL, plan);
  out.write(
    `rollback: done (${plan.statements.length} statements). Cost columns ${values["drop-columns"] ? "DROPPED" : "and their data kept"}. Run \`cost-sync migrate\` to restore.\n`,
  );
  return EXIT.ok;
}
