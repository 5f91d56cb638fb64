import type { Config } from "../config/env.js";
import { migrate } from "../db/schema/migrate.js";
import { planRollback, rollback } from "../db/schema/rollback.js";
import { verify } from "../db/schema/verify.js";
import { noArgs, parse } from "./args.js";
import { printJson } from "./output.js";
import { JSON_FLAG, type CommandHelp } from "./spec.js";
import { EXIT } from "./usage-error.js";

export { noArgs } from "./args.js";

export const MIGRATE_HELP = {
  help: "apply pending database migrations",
  usage: ["migrate [--json]"],
  description: "Applies the pending migrations of prisma/migrations under an advisory lock and prints what it applied.",
  flags: { ...JSON_FLAG },
} satisfies CommandHelp;

export const VERIFY_HELP = {
  help: "check columns, constraints, indexes, views; exit 1 on any FAIL",
  usage: ["verify [--json]"],
  description:
    "The seed's migration verification, PASS or FAIL per check. Exit 1 on any FAIL (an empty database lists FAILs).",
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

type Parsed = { values: { json?: boolean }; positionals: string[] };

export async function migrateCommand(
  cfg: Config,
  out: NodeJS.WritableStream,
  args: Parsed = { values: {}, positionals: [] },
): Promise<number> {
  noArgs(args.positionals);
  const r = await migrate({ databaseUrl: cfg.DATABASE_URL, smtpIpMonthlyCostUsd: cfg.SMTP_IP_MONTHLY_COST_USD });
  if (args.values.json) {
    printJson(out, { applied: r.applied, elapsedMs: Math.round(r.elapsedMs) });
    return EXIT.ok;
  }
  if (r.applied.length === 0) out.write(`migrate: database is up to date (${r.elapsedMs.toFixed(0)} ms)\n`);
  for (const name of r.applied) out.write(`applied ${name}\n`);
  if (r.applied.length) out.write(`migrate: ${r.applied.length} applied in ${r.elapsedMs.toFixed(0)} ms\n`);
  return EXIT.ok;
}

export async function verifyCommand(
  cfg: Config,
  out: NodeJS.WritableStream,
  args: Parsed = { values: {}, positionals: [] },
): Promise<number> {
  noArgs(args.positionals);
  const results = await verify(cfg.DATABASE_URL);
  const failed = results.filter((r) => !r.pass).length;
  if (args.values.json) {
    printJson(out, { checks: results, total: results.length, failed });
    return failed ? EXIT.failure : EXIT.ok;
  }
  for (const r of results) out.write(`${r.pass ? "PASS" : "FAIL"}  ${r.name}${r.pass ? "" : ` — ${r.detail}`}\n`);
  out.write(
    failed ? `verify: ${failed} of ${results.length} checks FAILED\n` : `verify: all ${results.length} checks PASS\n`,
  );
  return failed ? EXIT.failure : EXIT.ok;
}

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
